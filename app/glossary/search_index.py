"""The search tables, written inside the database build; app/search reads them.

Every term gets keys: title.ja, title.en, reading, romaji of the reading (wāpuro and Hepburn),
aliases and synonym labels (label and label_en), each normalized by app.text.normalize, plus a
folded copy of keys with variant spellings (伝搬 → 伝播, モーメンタム without ー). Tables:

- search_term: term number → id, numbered shortest title first (the tie-break order).
- search_key: one row per (term, key), numbered by field weight then term number, so lookups
  by key (exact, or prefix through the key and first-one/two-characters indexes) read rows
  best first and stop as soon as they have enough terms.
- search_trigram: contentless FTS5 trigram index, one document per term (its keys joined by
  U+001F), for substrings of three characters or more.
- search_chars: contentless FTS5 index of Japanese titles, aliases and synonyms with one
  character per token, for two-character substrings as phrases (爆発 → 勾配爆発), which
  trigrams cannot find. Candidates from either index are re-checked in Python.

The field order, penalties and variant kinds shared with the query side are in
app/search/keys.py; how a query reads these tables is described in app/search/__init__.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from app.glossary.schema import TermEntry
from app.search.keys import (
    FIELD_PENALTY,
    FIELDS,
    LONG_VOWEL_ONLY,
    SEPARATOR,
    SPELLING,
    VARIANT_PENALTY,
    WRITTEN,
)
from app.text.normalize import fold_variants, normalize, romaji_key, romaji_variants

_SCHEMA = (
    "CREATE TABLE search_term (id INTEGER PRIMARY KEY, term_id TEXT NOT NULL)",
    """CREATE TABLE search_key (
        id INTEGER PRIMARY KEY, term INTEGER NOT NULL, key TEXT NOT NULL,
        original TEXT, field INTEGER NOT NULL, variant INTEGER NOT NULL)""",
    "CREATE VIRTUAL TABLE search_trigram USING fts5("
    "keys, tokenize = 'trigram case_sensitive 1', content = '', detail = none)",
    "CREATE VIRTUAL TABLE search_chars USING fts5("
    "chars, tokenize = 'unicode61 remove_diacritics 0', content = '')",
    # Terms arrive in document order; their numbers are known only once all have arrived.
    """CREATE TEMP TABLE search_doc (
        position INTEGER PRIMARY KEY, term_id TEXT, len_ja INTEGER, len_en INTEGER,
        keys TEXT, chars TEXT)""",
    """CREATE TEMP TABLE search_stage (
        term INTEGER, key TEXT, original TEXT, field INTEGER, variant INTEGER, penalty INTEGER)""",
)
_NUMBERED = "FROM search_doc AS d JOIN search_number AS n USING (position) ORDER BY n.number"
_FILL = (
    "CREATE TEMP TABLE search_number (position INTEGER PRIMARY KEY, number INTEGER NOT NULL)",
    """INSERT INTO search_number SELECT position,
       row_number() OVER (ORDER BY len_ja, len_en, position) FROM search_doc""",
    f"INSERT INTO search_term (id, term_id) SELECT n.number, d.term_id {_NUMBERED}",
    f"INSERT INTO search_trigram (rowid, keys) SELECT n.number, d.keys {_NUMBERED}",
    """INSERT INTO search_chars (rowid, chars) SELECT n.number, d.chars
        FROM search_doc AS d JOIN search_number AS n USING (position)
        WHERE d.chars IS NOT NULL ORDER BY n.number""",
    """INSERT INTO search_key (term, key, original, field, variant)
       SELECT n.number, s.key, s.original, s.field, s.variant
       FROM search_stage AS s JOIN search_number AS n ON n.position = s.term
       ORDER BY s.penalty, n.number, s.field, s.key""",
    "DROP TABLE search_stage",
    "DROP TABLE search_doc",
    "DROP TABLE search_number",
    "CREATE INDEX search_key_key ON search_key (key)",
    "CREATE INDEX search_key_head1 ON search_key (substr(key, 1, 1))",
    "CREATE INDEX search_key_head2 ON search_key (substr(key, 1, 2))",
    "CREATE INDEX search_key_term ON search_key (term)",
)
_CHARS_FIELDS = frozenset({"title", "alias", "synonym"})

KeyRow = tuple[str, str, str, int]  # field, original, normalized key, variant kind


def _term_keys(term: TermEntry) -> list[KeyRow]:
    """Every distinct normalized key of a term, then folded spellings of those keys."""
    # In FIELDS order, so that when two fields give one key the first field keeps it.
    written = [("title", term.title.ja), ("english", term.title.en), ("reading", term.reading)]
    written += [("alias", alias) for alias in term.aliases]
    keyed = [(field, original, normalize(original)) for field, original in written]
    keyed += [("romaji", text, romaji_key(text)) for text in romaji_variants(term.reading)]
    for relation in term.synonyms:
        for label in (relation.label, relation.label_en):
            if label:
                keyed.append(("synonym", label, normalize(label)))
    rows: list[KeyRow] = []
    seen: set[str] = set()
    for field, original, key in keyed:
        if key and key not in seen:
            seen.add(key)
            rows.append((field, original, key, WRITTEN))
    for field, original, key, _ in list(rows):
        folded = fold_variants(key)
        if folded and folded not in seen:
            seen.add(folded)
            kind = LONG_VOWEL_ONLY if folded == key.replace("ー", "") else SPELLING
            rows.append((field, original, folded, kind))
    return rows


def _chars_document(rows: list[KeyRow]) -> str:
    """Japanese titles, aliases and synonyms one character a token, for two-character phrases."""
    keys = (
        key
        for field, _, key, variant in rows
        if field in _CHARS_FIELDS and variant != LONG_VOWEL_ONLY and not key.isascii()
    )
    return f" {SEPARATOR} ".join(" ".join(key) for key in keys)


class SearchIndex:
    """Fills the search tables inside the build transaction, from terms given batch by batch."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        for statement in _SCHEMA:
            connection.execute(statement)

    def add(self, terms: Sequence[TermEntry], *, start: int) -> None:
        """Stage terms whose document positions are start, start + 1, …"""
        docs = []
        keys = []
        for position, term in enumerate(terms, start=start):
            rows = _term_keys(term)
            title = term.title
            chars = _chars_document(rows) or None
            trigram = SEPARATOR.join(row[2] for row in rows)
            docs.append((position, term.id, len(title.ja), len(title.en), trigram, chars))
            keys += [
                (
                    position,
                    key,
                    None if original == key else original,
                    FIELDS.index(field),
                    variant,
                    FIELD_PENALTY[field] + (VARIANT_PENALTY if variant else 0),
                )
                for field, original, key, variant in rows
            ]
        self.connection.executemany("INSERT INTO search_doc VALUES (?, ?, ?, ?, ?, ?)", docs)
        self.connection.executemany("INSERT INTO search_stage VALUES (?, ?, ?, ?, ?, ?)", keys)

    def finish(self) -> None:
        """Number the terms, shorter titles first, so every lookup meets the tie-break order."""
        for statement in _FILL:
            self.connection.execute(statement)
