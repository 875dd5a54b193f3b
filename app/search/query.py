"""The lookup behind search() and suggest(): probes, tiers, re-checks and ranking.

The tables read here, and the order their rows are numbered in, are described in
app/glossary/search_index.py, which writes them.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.search.clean import MAX_LIMIT, MAX_QUERY
from app.search.keys import FIELD_PENALTY, FIELDS, KEY_COLUMNS, VARIANT_PENALTY, Row
from app.search.typos import TYPO_MIN, typo_rows
from app.text.normalize import fold_variants, kana_from_romaji, normalize

_RAW_QUERY = 4 * MAX_QUERY  # NFKC can lengthen text (㍿ → 株式会社), so cut generously first
_SCAN_CAP = 5_000  # rows read per lookup at most
_KANA_PENALTY = 1  # a romaji query read back as kana (zidou → じどう)
_TIER_SCORE = {"exact": 100.0, "prefix": 70.0, "substring": 40.0, "fuzzy": 10.0}

_BY_KEY = f"SELECT {KEY_COLUMNS} FROM search_key AS k INDEXED BY"
_EXACT = f"{_BY_KEY} search_key_key WHERE k.key = ? ORDER BY k.id"
_HEAD1 = f"{_BY_KEY} search_key_head1 WHERE substr(k.key, 1, 1) = ? ORDER BY k.id"
_HEAD2 = f"{_BY_KEY} search_key_head2 WHERE substr(k.key, 1, 2) = ? ORDER BY k.id"
_RANGE = f"{_BY_KEY} search_key_key WHERE k.key >= ? AND k.key < ? ORDER BY k.id"
# Whole terms in term order (shortest title first); every key of a candidate term comes back.
_BY_TERM = "JOIN search_key AS k INDEXED BY search_key_term ON k.term"
_CHARS = (
    f"SELECT {KEY_COLUMNS} FROM search_chars AS c {_BY_TERM} = c.rowid"
    " WHERE search_chars MATCH ? ORDER BY c.rowid"
)
_TRIGRAM = (
    f"SELECT {KEY_COLUMNS} FROM search_trigram AS t {_BY_TERM} = t.rowid"
    " WHERE search_trigram MATCH ? ORDER BY t.rowid"
)
_MAX_TRIGRAMS = 12


@dataclass(frozen=True)
class Hit:
    term_id: str
    score: float  # higher is better
    matched: str  # the key as written in the glossary, e.g. "へんびぶん" or "RMSProp"
    field: str  # "title", "english", "reading", "romaji", "alias" or "synonym"
    kind: str  # "exact", "prefix", "substring" or "fuzzy"


@dataclass(frozen=True)
class _Probe:
    """One spelling of the query to look up, with its score penalty."""

    key: str
    penalty: float = 0.0
    field: str | None = None  # reported instead of the key's own field
    exact_only: bool = False


@dataclass(frozen=True)
class _Candidate:
    rank: tuple[float, int, int]  # (-score, term number, key id): best first
    term: int
    score: float
    matched: str
    field: str
    kind: str


def _probes(key: str) -> list[_Probe]:
    probes = [_Probe(key)]
    folded = fold_variants(key)
    if folded and folded != key:
        probes.append(_Probe(folded, penalty=VARIANT_PENALTY))
    kana = kana_from_romaji(key)
    if kana and kana != key:
        probes.append(_Probe(kana, penalty=_KANA_PENALTY, field="romaji", exact_only=True))
    return probes


def _upper_bound(prefix: str) -> str:
    """The least string above every string that starts with prefix."""
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates cannot be stored; skip past them
        following = 0xE000
    return prefix[:-1] + chr(min(following, 0x10FFFF))


def _fts_query(key: str) -> str:
    """Distinct trigrams of key as quoted FTS5 phrases joined by AND; rows are re-checked."""
    grams = list(dict.fromkeys(key[i : i + 3] for i in range(len(key) - 2)))
    if len(grams) > _MAX_TRIGRAMS:
        step = (len(grams) - 1) / (_MAX_TRIGRAMS - 1)
        grams = [grams[round(i * step)] for i in range(_MAX_TRIGRAMS)]
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def _lookup(connection: sqlite3.Connection, tier: str, key: str) -> Iterable[Row]:
    """Rows that may match key in this tier, in rank order (the caller re-checks them)."""
    if tier == "exact":
        return connection.execute(_EXACT, (key,))
    if tier == "prefix":
        if len(key) <= 2:
            return connection.execute(_HEAD1 if len(key) == 1 else _HEAD2, (key,))
        return connection.execute(_RANGE, (key, _upper_bound(key)))
    if len(key) >= 3:
        return connection.execute(_TRIGRAM, (_fts_query(key),))
    if len(key) == 2 and not key.isascii() and all(_is_word(char) for char in key):
        return connection.execute(_CHARS, (f'"{key[0]} {key[1]}"',))
    return ()


def _is_word(char: str) -> bool:
    """Whether FTS5's unicode61 tokenizer makes char a token (letters and digits)."""
    return unicodedata.category(char)[0] in "LN"


def _kind(query: str, key: str) -> str | None:
    if key == query:
        return "exact"
    if key.startswith(query):
        return "prefix"
    if len(query) >= 2 and query in key:
        return "substring"
    return None


def _candidate(row: Row, probe: _Probe, kind: str) -> _Candidate:
    key_id, term, key, original, field_code, variant = row
    field = FIELDS[field_code]
    penalty = max(probe.penalty, VARIANT_PENALTY if variant else 0)
    score = _TIER_SCORE[kind] - FIELD_PENALTY[field] - penalty
    return _Candidate(
        (-score, term, key_id), term, score, original or key, probe.field or field, kind
    )


def _scan(
    rows: Iterable[Row], probe: _Probe, *, typo: bool, found: dict[int, _Candidate], need: int
) -> list[_Candidate]:
    """The best matching row of each of the first `need` new terms the rows name."""
    best: dict[int, _Candidate] = {}
    for scanned, row in enumerate(rows):
        term = row[1]
        if scanned >= _SCAN_CAP or (term not in best and len(best) >= need):
            break
        if term in found:
            continue
        kind = "fuzzy" if typo else _kind(probe.key, row[2])
        if kind is not None:
            candidate = _candidate(row, probe, kind)
            if term not in best or candidate.rank < best[term].rank:
                best[term] = candidate
    return list(best.values())


def _accept(candidates: list[_Candidate], found: dict[int, _Candidate], limit: int) -> None:
    for candidate in sorted(candidates, key=lambda c: c.rank):
        if len(found) >= limit:
            return
        found.setdefault(candidate.term, candidate)


def find(connection: sqlite3.Connection, query: str, limit: int) -> list[Hit]:
    """At most `limit` (up to MAX_LIMIT) terms matching query, one hit per term, best first.

    Never raises on its arguments: a query that is not a string or normalizes to nothing, or a
    limit that is not a positive int, gives an empty list.
    """
    if not isinstance(query, str) or not isinstance(limit, int) or limit <= 0:
        return []
    limit = min(limit, MAX_LIMIT)
    key = normalize(query[:_RAW_QUERY])[:MAX_QUERY]
    if not key:
        return []
    found: dict[int, _Candidate] = {}
    probes = _probes(key)
    for tier in ("exact", "prefix", "substring"):
        candidates: list[_Candidate] = []
        for probe in probes:
            if not (probe.exact_only and tier != "exact"):
                rows = _lookup(connection, tier, probe.key)
                # Whole-term lookups come shortest title first, not best field first: read on.
                need = (limit - len(found)) * (1 if tier != "substring" else 2)
                candidates += _scan(rows, probe, typo=False, found=found, need=need)
        _accept(candidates, found, limit)
        if len(found) >= limit:
            break
    # A typo is only guessed at when the query is not itself a key.
    exact = any(c.kind == "exact" for c in found.values())
    if len(key) >= TYPO_MIN and not exact and len(found) < limit:
        rows = typo_rows(connection, key)
        need = limit - len(found)
        _accept(_scan(rows, probes[0], typo=True, found=found, need=need), found, limit)
    return _hits(connection, list(found.values()))


def _hits(connection: sqlite3.Connection, candidates: list[_Candidate]) -> list[Hit]:
    if not candidates:
        return []
    numbers = [c.term for c in candidates]
    marks = ",".join("?" * len(numbers))
    sql = f"SELECT id, term_id FROM search_term WHERE id IN ({marks})"
    ids = dict(connection.execute(sql, numbers).fetchall())
    return [Hit(ids[c.term], c.score, c.matched, c.field, c.kind) for c in candidates]
