"""Search over normalized keys; no web framework here."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.glossary.schema import TermEntry


@dataclass(frozen=True)
class Hit:
    term_id: str
    score: float
    matched: str
    field: str


def normalize(text: str) -> str:
    """NFKC and case folding."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def index_terms(connection: sqlite3.Connection, terms: Sequence[TermEntry]) -> None:
    """Create and fill the search key table."""
    connection.execute("CREATE TABLE search_key (term_id TEXT, key TEXT, field TEXT)")
    connection.execute("CREATE INDEX search_key_key ON search_key (key)")
    rows = []
    for term in terms:
        rows.append((term.id, normalize(term.title.ja), "title"))
        rows.append((term.id, normalize(term.title.en), "english"))
        rows.append((term.id, normalize(term.reading), "reading"))
        rows.extend((term.id, normalize(alias), "alias") for alias in term.aliases)
    connection.executemany("INSERT INTO search_key VALUES (?, ?, ?)", rows)


def search(connection: sqlite3.Connection, query: str, *, limit: int = 20) -> list[Hit]:
    """Terms whose keys contain the query, exact matches first."""
    key = normalize(query)
    if not key:
        return []
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = connection.execute(
        "SELECT term_id, key, field FROM search_key WHERE key LIKE ? ESCAPE '\\'", (pattern,)
    ).fetchall()
    best: dict[str, Hit] = {}
    for term_id, matched, field in rows:
        score = 3.0 if matched == key else 2.0 if matched.startswith(key) else 1.0
        if term_id not in best or best[term_id].score < score:
            best[term_id] = Hit(term_id, score, matched, field)
    return sorted(best.values(), key=lambda hit: -hit.score)[:limit]
