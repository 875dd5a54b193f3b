"""Japanese-aware search and autocomplete over normalized keys; no web framework here.

Every term gets keys: title.ja, title.en, reading, romaji of the reading (wāpuro and Hepburn),
aliases and synonym labels (label and label_en), each normalized by textnorm.normalize, plus a
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

A query is normalized the same way and cut to MAX_QUERY characters (longer input is
truncated, not refused), then looked up tier by tier while fewer than `limit` terms are found:
exact, prefix (from one character), substring (from two), and, when nothing matched exactly,
one typo (from TYPO_MIN characters, with rapidfuzz over an in-memory index of keys, cached per
data hash; prepare() loads it ahead of the first query). User text reaches SQL only as bound
parameters, and FTS5 only as quoted phrases. Any string gives a list, possibly empty.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.glossary.schema import TermEntry
from app.text.normalize import (
    fold_variants,
    kana_from_romaji,
    normalize,
    romaji_key,
    romaji_variants,
)

__all__ = [
    "MAX_QUERY",
    "Hit",
    "SearchIndex",
    "normalize",
    "prepare",
    "search",
    "suggest",
]

MAX_QUERY = 200  # normalized characters; longer queries are cut to this length
MAX_LIMIT = 100
TYPO_MIN = 5  # one typo is forgiven in queries of five characters or more
_RAW_QUERY = 4 * MAX_QUERY  # NFKC can lengthen text (㍿ → 株式会社), so cut generously first
_SCAN_CAP = 5_000  # rows read per lookup at most
_TYPO_KEYS_CAP = 200
_SEPARATOR = "\x1f"  # between a term's keys in its trigram document; normalize() removes it

# Fields in the order that wins when two fields of one term give the same key.
FIELDS = ("title", "english", "reading", "alias", "romaji", "synonym")
_FIELD_PENALTY = {"title": 0, "english": 0, "reading": 3, "alias": 3, "romaji": 3, "synonym": 6}
_VARIANT_PENALTY = 5  # a folded spelling (伝搬 for 伝播) ranks below the spelling itself
_KANA_PENALTY = 1  # a romaji query read back as kana (zidou → じどう)
_TIER_SCORE = {"exact": 100.0, "prefix": 70.0, "substring": 40.0, "fuzzy": 10.0}


@dataclass(frozen=True)
class Hit:
    term_id: str
    score: float  # higher is better
    matched: str  # the key as written in the glossary, e.g. "へんびぶん" or "RMSProp"
    field: str  # "title", "english", "reading", "romaji", "alias" or "synonym"
    kind: str  # "exact", "prefix", "substring" or "fuzzy"


# --- build -------------------------------------------------------------------------------

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
_BATCH = 2_000
_LONG_VOWEL_ONLY, _SPELLING = 1, 2  # kinds of variant: モメンタム for モーメンタム; 伝播 for 伝搬
_CHARS_FIELDS = frozenset({"title", "alias", "synonym"})

KeyRow = tuple[str, str, str, int]  # field, original, normalized key, variant kind (0: none)


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
            rows.append((field, original, key, 0))
    for field, original, key, _ in list(rows):
        folded = fold_variants(key)
        if folded and folded not in seen:
            seen.add(folded)
            kind = _LONG_VOWEL_ONLY if folded == key.replace("ー", "") else _SPELLING
            rows.append((field, original, folded, kind))
    return rows


def _chars_document(rows: list[KeyRow]) -> str:
    """Japanese titles, aliases and synonyms one character a token, for two-character phrases."""
    keys = (
        key
        for field, _, key, variant in rows
        if field in _CHARS_FIELDS and variant != _LONG_VOWEL_ONLY and not key.isascii()
    )
    return f" {_SEPARATOR} ".join(" ".join(key) for key in keys)


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
            trigram = _SEPARATOR.join(row[2] for row in rows)
            docs.append((position, term.id, len(title.ja), len(title.en), trigram, chars))
            keys += [
                (
                    position,
                    key,
                    None if original == key else original,
                    FIELDS.index(field),
                    variant,
                    _FIELD_PENALTY[field] + (_VARIANT_PENALTY if variant else 0),
                )
                for field, original, key, variant in rows
            ]
        self.connection.executemany("INSERT INTO search_doc VALUES (?, ?, ?, ?, ?, ?)", docs)
        self.connection.executemany("INSERT INTO search_stage VALUES (?, ?, ?, ?, ?, ?)", keys)

    def finish(self) -> None:
        """Number the terms, shorter titles first, so every lookup meets the tie-break order."""
        for statement in _FILL:
            self.connection.execute(statement)


# --- query -------------------------------------------------------------------------------

_COLUMNS = "k.id, k.term, k.key, k.original, k.field, k.variant"
_BY_KEY = f"SELECT {_COLUMNS} FROM search_key AS k INDEXED BY"
_EXACT = f"{_BY_KEY} search_key_key WHERE k.key = ? ORDER BY k.id"
_HEAD1 = f"{_BY_KEY} search_key_head1 WHERE substr(k.key, 1, 1) = ? ORDER BY k.id"
_HEAD2 = f"{_BY_KEY} search_key_head2 WHERE substr(k.key, 1, 2) = ? ORDER BY k.id"
_RANGE = f"{_BY_KEY} search_key_key WHERE k.key >= ? AND k.key < ? ORDER BY k.id"
# Whole terms in term order (shortest title first); every key of a candidate term comes back.
_BY_TERM = "JOIN search_key AS k INDEXED BY search_key_term ON k.term"
_CHARS = (
    f"SELECT {_COLUMNS} FROM search_chars AS c {_BY_TERM} = c.rowid"
    " WHERE search_chars MATCH ? ORDER BY c.rowid"
)
_TRIGRAM = (
    f"SELECT {_COLUMNS} FROM search_trigram AS t {_BY_TERM} = t.rowid"
    " WHERE search_trigram MATCH ? ORDER BY t.rowid"
)
_MAX_TRIGRAMS = 12

Row = tuple[int, int, str, str | None, int, int]  # key id, term, key, original, field, variant


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
        probes.append(_Probe(folded, penalty=_VARIANT_PENALTY))
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
    penalty = max(probe.penalty, _VARIANT_PENALTY if variant else 0)
    score = _TIER_SCORE[kind] - _FIELD_PENALTY[field] - penalty
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


def _find(connection: sqlite3.Connection, query: str, limit: int) -> list[Hit]:
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
        rows = _typo_rows(connection, key)
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


def search(connection: sqlite3.Connection, query: str, *, limit: int = 20) -> list[Hit]:
    """Terms matching query, one hit per term, best first: exact, prefix, substring, typo."""
    return _find(connection, query, limit)


def suggest(connection: sqlite3.Connection, query: str, *, limit: int = 10) -> list[Hit]:
    """Autocomplete: the same ranking in a short list, so exact and prefix matches lead."""
    return _find(connection, query, limit)


# --- typos -------------------------------------------------------------------------------
#
# One edit leaves either the first two or the last two characters of a word of five or more
# in place, so keys are bucketed by (length, first two) and (length, last two) and only the
# keys in the query's buckets are compared with rapidfuzz.

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
                " WHERE variant = 0 AND length(key) BETWEEN ? AND ?",
                (TYPO_MIN - 1, MAX_QUERY + 1),
            )
            for (key,) in rows:
                heads.setdefault((len(key), key[:2]), []).append(key)
                tails.setdefault((len(key), key[-2:]), []).append(key)
            cached = _typo_cache[version] = (heads, tails)
            while len(_typo_cache) > _TYPO_CACHE_SIZE:
                _typo_cache.popitem(last=False)
        _typo_cache.move_to_end(version)
        return cached


def _typo_rows(connection: sqlite3.Connection, key: str) -> list[Row]:
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
    sql = f"SELECT {_COLUMNS} FROM search_key AS k WHERE k.key IN ({marks}) ORDER BY k.id"
    return connection.execute(sql, near).fetchall()


def prepare(connection: sqlite3.Connection) -> None:
    """Load the in-memory typo index now rather than on the first query that needs it."""
    _typo_buckets(connection)
