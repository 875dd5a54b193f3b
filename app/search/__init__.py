"""Japanese-aware search and autocomplete over normalized keys; no web framework here.

The keys and tables searched are written while the database is built, by
app/glossary/search_index.py, which describes them: one row per (term, key), best field and
shortest title first, with indexes on the key and its first one and two characters, and two
FTS5 indexes (trigrams, and Japanese text one character a token) for substrings.

A query is normalized the same way and cut to MAX_QUERY characters (longer input is
truncated, not refused), then looked up tier by tier while fewer than `limit` terms are found:
exact, prefix (from one character), substring (from two), and, when nothing matched exactly,
one typo (from TYPO_MIN characters, with rapidfuzz over an in-memory index of keys, cached per
data hash; prepare() loads it ahead of the first query, forget() drops every version but the
one being served). User text reaches SQL only as bound
parameters, and FTS5 only as quoted phrases. Any string gives a list, possibly empty.

Modules: clean (limits and clean_query), keys (what the tables' writer and reader share),
query (probes, tiers, ranking), typos (the one-typo index).
"""

from __future__ import annotations

import sqlite3

from app.search.clean import MAX_LIMIT, MAX_QUERY, MAX_QUERY_PARAM, CleanQuery, clean_query
from app.search.query import Hit, find
from app.search.typos import forget, prepare
from app.text.normalize import normalize

__all__ = [
    "MAX_LIMIT",
    "MAX_QUERY",
    "MAX_QUERY_PARAM",
    "CleanQuery",
    "Hit",
    "clean_query",
    "forget",
    "normalize",
    "prepare",
    "search",
    "suggest",
]


def search(connection: sqlite3.Connection, query: str, *, limit: int = 20) -> list[Hit]:
    """Terms matching query, one hit per term, best first: exact, prefix, substring, typo."""
    return find(connection, query, limit)


def suggest(connection: sqlite3.Connection, query: str, *, limit: int = 10) -> list[Hit]:
    """Autocomplete: the same ranking in a short list, so exact and prefix matches lead."""
    return find(connection, query, limit)
