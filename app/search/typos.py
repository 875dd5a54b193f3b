"""One-typo matching: the keys within one edit of a query, from an in-memory index of keys.

One edit leaves either the first two or the last two characters of a word of five or more in
place, so keys are bucketed by (length, first two) and (length, last two) and only the keys in
the query's buckets are compared with rapidfuzz. The buckets are loaded once per data hash and
shared by every connection and thread; prepare() loads them ahead of the first query.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.search.clean import MAX_QUERY
from app.search.keys import KEY_COLUMNS, WRITTEN, Row

TYPO_MIN = 5  # one typo is forgiven in queries of five characters or more
_TYPO_KEYS_CAP = 200

Buckets = dict[tuple[int, str], list[str]]
_typo_lock = threading.Lock()
_typo_cache: OrderedDict[str, tuple[Buckets, Buckets]] = OrderedDict()
_TYPO_CACHE_SIZE = 2


def _data_version(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'data_hash'").fetchone()
    except sqlite3.Error:
        row = None
    return str(row[0]) if row else f"connection-{id(connection)}"


def _typo_buckets(connection: sqlite3.Connection) -> tuple[Buckets, Buckets]:
    """Distinct keys long enough for a typo, by (length, head) and (length, tail), cached."""
    version = _data_version(connection)
    with _typo_lock:
        cached = _typo_cache.get(version)
        if cached is None:
            heads: Buckets = {}
            tails: Buckets = {}
            rows = connection.execute(
                "SELECT DISTINCT key FROM search_key"
                " WHERE variant = ? AND length(key) BETWEEN ? AND ?",
                (WRITTEN, TYPO_MIN - 1, MAX_QUERY + 1),
            )
            for (key,) in rows:
                heads.setdefault((len(key), key[:2]), []).append(key)
                tails.setdefault((len(key), key[-2:]), []).append(key)
            cached = _typo_cache[version] = (heads, tails)
            while len(_typo_cache) > _TYPO_CACHE_SIZE:
                _typo_cache.popitem(last=False)
        _typo_cache.move_to_end(version)
        return cached


def typo_rows(connection: sqlite3.Connection, key: str) -> list[Row]:
    """Rows whose key is one edit (insert, delete, substitute, swap) away from key."""
    heads, tails = _typo_buckets(connection)
    choices: dict[str, None] = {}
    for length in (len(key) - 1, len(key), len(key) + 1):
        choices.update(dict.fromkeys(heads.get((length, key[:2]), ())))
        choices.update(dict.fromkeys(tails.get((length, key[-2:]), ())))
    matches = process.extract(key, list(choices), scorer=OSA.distance, score_cutoff=1, limit=None)
    near = [choice for choice, distance, _ in matches if distance == 1][:_TYPO_KEYS_CAP]
    if not near:
        return []
    marks = ",".join("?" * len(near))
    sql = f"SELECT {KEY_COLUMNS} FROM search_key AS k WHERE k.key IN ({marks}) ORDER BY k.id"
    return connection.execute(sql, near).fetchall()


def prepare(connection: sqlite3.Connection) -> None:
    """Load the in-memory typo index now rather than on the first query that needs it."""
    _typo_buckets(connection)
