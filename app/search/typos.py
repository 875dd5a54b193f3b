"""One-typo matching: the keys within one edit of a query, from an in-memory index of keys.

One edit leaves either the first two or the last two characters of a word of five or more in
place, so keys are bucketed by (length, first two) and (length, last two) and only the keys in
the query's buckets are compared with rapidfuzz. The buckets are loaded once per data hash and
shared by every connection and thread; prepare() loads them ahead of the first query, and
forget() drops every version but the one being served once a new one is live.
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
# The version being served, once forget() has named one: a query on an older version (a request
# that began before a reload) gets its buckets built for it but not kept.
_live: str | None = None


def _data_version(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'data_hash'").fetchone()
    except sqlite3.Error:
        row = None
    return str(row[0]) if row else f"connection-{id(connection)}"


def _typo_buckets(connection: sqlite3.Connection, *, keep: bool = False) -> tuple[Buckets, Buckets]:
    """Distinct keys long enough for a typo, by (length, head) and (length, tail), cached for
    the version being served (or, with keep, for this connection's version whatever it is)."""
    version = _data_version(connection)
    with _typo_lock:
        cached = _typo_cache.get(version)
        if cached is not None:
            _typo_cache.move_to_end(version)
            return cached
        if keep or _live is None or version == _live:
            cached = _typo_cache[version] = _load_buckets(connection)  # once, by the first asker
            while len(_typo_cache) > _TYPO_CACHE_SIZE:
                _typo_cache.popitem(last=False)
            return cached
    return _load_buckets(connection)  # an old version's, for one query, outside the lock


def _load_buckets(connection: sqlite3.Connection) -> tuple[Buckets, Buckets]:
    heads: Buckets = {}
    tails: Buckets = {}
    rows = connection.execute(
        "SELECT DISTINCT key FROM search_key WHERE variant = ? AND length(key) BETWEEN ? AND ?",
        (WRITTEN, TYPO_MIN - 1, MAX_QUERY + 1),
    )
    for (key,) in rows:
        heads.setdefault((len(key), key[:2]), []).append(key)
        tails.setdefault((len(key), key[-2:]), []).append(key)
    return heads, tails


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
    """Load the in-memory typo index now rather than on the first query that needs it; kept
    beside the version being served until forget() names the one to keep."""
    _typo_buckets(connection, keep=True)


def forget(*, except_version: str) -> None:
    """Drop the typo index of every data version but except_version, now the one served.

    Afterwards a query on another version, from a request that began before the swap, still
    gets its answer, from buckets built for it and dropped with it.
    """
    global _live
    with _typo_lock:
        _live = except_version
        for version in [v for v in _typo_cache if v != except_version]:
            del _typo_cache[version]


def cached_versions() -> list[str]:
    """The data versions whose typo index is held in memory, least recently used first."""
    with _typo_lock:
        return list(_typo_cache)
