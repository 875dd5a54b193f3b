"""The JSON shapes of the API beyond a term itself: search, suggest, oEmbed, health.

Terms are described in app/models.py; the backprop API in app/web/backprop_schemas.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.models import LocalizedPublic, TermBase

SUGGEST_LIMIT = 10


class SearchResult(TermBase):
    summary: LocalizedPublic
    score: float = Field(description="higher is better; exact > prefix > substring > fuzzy")
    matched: str = Field(description="the key that matched, as the glossary writes it")
    field: str = Field(description="title, english, reading, romaji, alias or synonym")
    kind: str = Field(description="exact, prefix, substring or fuzzy (one typo)")
    urls: LocalizedPublic


class SearchResults(BaseModel):
    query: str
    data: list[SearchResult]
    count: int


class Suggestion(TermBase):
    matched: str
    kind: str
    urls: LocalizedPublic


class Suggestions(BaseModel):
    query: str
    data: list[Suggestion] = Field(max_length=SUGGEST_LIMIT)
    count: int


class OEmbed(BaseModel):
    """An oEmbed 1.0 answer of type rich (the route returns app.web.embeds' dict as it is)."""

    type: Literal["rich"]
    version: Literal["1.0"]
    title: str
    provider_name: str
    provider_url: str
    html: str = Field(description="a blockquote with a link, then the sandboxed iframe")
    width: int
    height: int
    cache_age: int


class Health(BaseModel):
    status: str
    terms: int
    data_version: str
    reload_problems: list[str]
