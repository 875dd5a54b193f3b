"""SQLModel tables built from the YAML, and the public shapes the API returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Term(SQLModel, table=True):
    """One glossary entry, flattened for reading."""

    id: str = Field(primary_key=True)
    position: int = Field(index=True)
    title_ja: str
    title_en: str
    reading: str
    sort_key: str = Field(index=True)
    summary_ja: str
    summary_en: str
    body_ja: str | None = None
    body_en: str | None = None
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    senses: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    sources: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    updated: dt.date


class Relation(SQLModel, table=True):
    """A synonym, antonym, collocation or related term of a term, in document order."""

    pk: int | None = Field(default=None, primary_key=True)
    term_id: str = Field(foreign_key="term.id", index=True)
    kind: str
    position: int
    label: str
    label_en: str | None = None
    ref: str | None = Field(default=None, index=True)
    note_ja: str
    note_en: str
    sense: str | None = None


class Tag(SQLModel, table=True):
    id: str = Field(primary_key=True)
    position: int
    name_ja: str
    name_en: str


class Meta(SQLModel, table=True):
    """Facts about the build: the data hash, the site's title and description."""

    key: str = Field(primary_key=True)
    value: str


# Public shapes: the JSON API contract (fields may be added, never changed; see docs/api.md).
# app/data/terms.py builds them from the tables above.


class LocalizedPublic(BaseModel):
    ja: str
    en: str | None


class RelationPublic(BaseModel):
    label: str
    ref: str | None
    note: LocalizedPublic
    label_en: str | None = None
    sense: str | None = None


class SensePublic(BaseModel):
    id: str
    title: LocalizedPublic
    summary: LocalizedPublic


class SourcePublic(BaseModel):
    title: str
    url: str


# The shapes of a term share their first fields, declared once in TermBase. (Notes on these
# classes are comments: a docstring would become a description in the OpenAPI schema.)


class TermBase(BaseModel):
    id: str
    title: LocalizedPublic
    reading: str


class TermSummary(TermBase):  # a term in a list: no article, no relations
    summary: LocalizedPublic
    tags: list[str]
    urls: LocalizedPublic
    updated: dt.date


# Not a TermSummary: inheriting would move summary, urls and updated before aliases in the JSON.
class TermPublic(TermBase):
    aliases: list[str]
    tags: list[str]
    summary: LocalizedPublic
    body: LocalizedPublic | None
    synonyms: list[RelationPublic]
    antonyms: list[RelationPublic]
    collocations: list[RelationPublic]
    related: list[RelationPublic]
    urls: LocalizedPublic
    updated: dt.date
    senses: list[SensePublic] = []
    sources: list[SourcePublic] = []


class TermsPublic(BaseModel):
    data: list[TermSummary]
    next: str | None
    count: int
