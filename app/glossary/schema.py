"""The YAML schema (version 1) as pydantic models.

Field-level rules live here; rules that need the whole document (unique ids, refs that
name a term, senses that exist) live in checks.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# Hiragana, the long-vowel mark, iteration marks, the middle dot and spaces.
READING_PATTERN = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30fc\u30fb 　]+$")

RELATION_KINDS = ("synonyms", "antonyms", "collocations", "related")

Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _is_hiragana(value: str) -> str:
    if not READING_PATTERN.fullmatch(value):
        raise ValueError(f"reading {value!r} must be written in hiragana")
    return value


Reading = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_is_hiragana)]


class Strict(BaseModel):
    """A mapping that rejects fields it does not know."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """Text in both languages; both are required."""

    ja: Text
    en: Text


class LocalizedBody(Strict):
    """A Markdown article; the English one may be missing while it is being written."""

    ja: Text
    en: Text | None = None


class Relation(Strict):
    """One synonym, antonym, collocation or related term, with a note on it."""

    label: Text
    label_en: Text | None = None
    ref: Slug | None = None
    note: Localized
    sense: Slug | None = None


class Sense(Strict):
    """One meaning of a term that has several."""

    id: Slug
    title: Localized
    summary: Localized


class Source(Strict):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class TermEntry(Strict):
    id: Slug
    title: Localized
    reading: Reading
    aliases: list[Text] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    summary: Localized
    body: LocalizedBody | None = None
    senses: list[Sense] = Field(default_factory=list)
    synonyms: list[Relation] = Field(default_factory=list)
    antonyms: list[Relation] = Field(default_factory=list)
    collocations: list[Relation] = Field(default_factory=list)
    related: list[Relation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    updated: dt.date

    def relations(self) -> list[tuple[str, int, Relation]]:
        """Every relation with its kind and position, in document order."""
        return [
            (kind, position, relation)
            for kind in RELATION_KINDS
            for position, relation in enumerate(getattr(self, kind))
        ]


class Site(Strict):
    title: Localized
    description: Localized


class GlossaryHead(Strict):
    """The document without its terms, which are validated one by one."""

    version: Literal[1]
    site: Site
    tags: dict[Slug, Localized] = Field(default_factory=dict)
    terms: list[object]


class Glossary(Strict):
    version: Literal[1]
    site: Site
    tags: dict[str, Localized]
    terms: list[TermEntry]
