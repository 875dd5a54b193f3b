"""A term both ways: a YAML entry to database rows (the build), and rows to public shapes.

A new YAML field on a term touches four files, in this order:

1. app/glossary/schema.py: the field on `TermEntry` (or on `Relation`, `Sense`, `Source`),
   with its field-level rules; a rule that needs the whole document goes to checks.py.
2. app/models.py: its column on the `Term` (or `Relation`) table, and its field on
   `TermPublic`, added after the existing ones (the JSON API only grows); on `TermSummary`
   too when lists and pages of terms need it.
3. app/data/terms.py (this module): the column's value in `term_row` (or `relation_rows`),
   and the public field in `term_public` (and `term_summary`).
4. templates/term.html: where the term page shows it.

Nothing else changes: the build and the queries pass rows and shapes through whole, and the
build's fingerprint covers models.py and this module, so older databases are rebuilt.
tests/test_terms_mapping.py fails until the new field reaches the public shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from app import urls
from app.glossary.schema import RELATION_KINDS, TermEntry
from app.models import (
    LocalizedPublic,
    Relation,
    RelationPublic,
    SensePublic,
    SourcePublic,
    Term,
    TermPublic,
    TermSummary,
)
from app.text.kana import reading_sort_key

# ── Entry → rows (the build writes these with sqlite3, so JSON columns are encoded here) ──


def term_row(position: int, entry: TermEntry) -> dict[str, Any]:
    """The `term` row of an entry, the position-th of the document."""
    return {
        "id": entry.id,
        "position": position,
        "title_ja": entry.title.ja,
        "title_en": entry.title.en,
        "reading": entry.reading,
        "sort_key": reading_sort_key(entry.reading),
        "summary_ja": entry.summary.ja,
        "summary_en": entry.summary.en,
        "body_ja": entry.body.ja if entry.body else None,
        "body_en": entry.body.en if entry.body else None,
        "aliases": json.dumps(entry.aliases, ensure_ascii=False),
        "tags": json.dumps(entry.tags),
        "senses": json.dumps([s.model_dump() for s in entry.senses], ensure_ascii=False),
        "sources": json.dumps([s.model_dump() for s in entry.sources], ensure_ascii=False),
        "updated": entry.updated.isoformat(),
    }


def relation_rows(entry: TermEntry) -> Iterator[dict[str, Any]]:
    """An entry's `relation` rows in document order; the build fills in missing refs later,
    from the labels that name a term."""
    for kind, position, relation in entry.relations():
        yield {
            "term_id": entry.id,
            "kind": kind,
            "position": position,
            "label": relation.label,
            "label_en": relation.label_en,
            "ref": relation.ref,
            "note_ja": relation.note.ja,
            "note_en": relation.note.en,
            "sense": relation.sense,
        }


# ── Rows → public shapes ─────────────────────────────────────────────────────────────────


def term_urls(term_id: str, *, base_url: str) -> LocalizedPublic:
    """The term's page in each language, as absolute URLs."""
    return LocalizedPublic(
        ja=base_url + urls.term("ja", term_id), en=base_url + urls.term("en", term_id)
    )


def term_summary(term: Term, *, base_url: str) -> TermSummary:
    """A term as lists show it: no article, no relations."""
    return TermSummary(
        id=term.id,
        title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
        reading=term.reading,
        summary=LocalizedPublic(ja=term.summary_ja, en=term.summary_en),
        tags=term.tags,
        urls=term_urls(term.id, base_url=base_url),
        updated=term.updated,
    )


def term_public(term: Term, relations: Iterable[Relation], *, base_url: str) -> TermPublic:
    """The whole term; relations are its rows in document order, of every kind."""
    by_kind: dict[str, list[RelationPublic]] = {kind: [] for kind in RELATION_KINDS}
    for row in relations:
        by_kind[row.kind].append(
            RelationPublic(
                label=row.label,
                ref=row.ref,
                note=LocalizedPublic(ja=row.note_ja, en=row.note_en),
                label_en=row.label_en,
                sense=row.sense,
            )
        )
    body = None
    if term.body_ja is not None:
        body = LocalizedPublic(ja=term.body_ja, en=term.body_en)
    return TermPublic(
        id=term.id,
        title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
        reading=term.reading,
        aliases=term.aliases,
        tags=term.tags,
        summary=LocalizedPublic(ja=term.summary_ja, en=term.summary_en),
        body=body,
        synonyms=by_kind["synonyms"],
        antonyms=by_kind["antonyms"],
        collocations=by_kind["collocations"],
        related=by_kind["related"],
        urls=term_urls(term.id, base_url=base_url),
        updated=term.updated,
        senses=[SensePublic.model_validate(sense) for sense in term.senses],
        sources=[SourcePublic.model_validate(source) for source in term.sources],
    )
