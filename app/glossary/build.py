"""Validated glossary → SQLite file, written to a temporary file and renamed into place."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel, create_engine

from app.data.terms import relation_rows, term_row
from app.glossary.loader import content_hash, load_bytes, read_glossary
from app.glossary.schema import Glossary, TermEntry
from app.glossary.search_index import SearchIndex
from app.models import Meta, Relation, Tag, Term

log = logging.getLogger("glossary")

Progress = Callable[[int, int], None]  # terms written, and their total (0 until known)
BATCH = 2_000
# A build writes `.{db name}.XXXXXXXX.tmp` beside the database, then renames it into place.
_TMP_PREFIX, _TMP_SUFFIX = ".", ".tmp"
# The code that decides what the database holds (relative to app/).
BUILDER_SOURCES = (
    "glossary/*.py",
    "search/*.py",
    "text/normalize.py",
    "text/kana.py",
    "models.py",
    "data/terms.py",
)


def _builder_fingerprint() -> str:
    """A hash of the code that decides the database's layout, so new code rebuilds old files."""
    app_dir = Path(__file__).resolve().parent.parent
    sources = [source for pattern in BUILDER_SOURCES for source in sorted(app_dir.glob(pattern))]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


BUILDER = _builder_fingerprint()


def build_from_yaml(
    yaml_path: Path, db_path: Path, *, progress: Progress | None = None
) -> Glossary:
    """Validate the YAML and build its database; on any problem raise and leave db_path alone.

    Terms go to the database as they are read, so the glossary returned is its head: version,
    site and tags, without terms; the database holds them.
    """
    data = load_bytes(yaml_path)
    return _build(data, yaml_path.name, db_path, progress=progress)


def ensure_database(yaml_path: Path, db_path: Path) -> str:
    """Reuse db_path when it was built from this YAML, else rebuild it; return the data hash."""
    data = load_bytes(yaml_path)
    data_hash = content_hash(data)
    if built_hash(db_path) != data_hash:
        _build(data, yaml_path.name, db_path)
    return data_hash


def _build(
    data: bytes, filename: str, db_path: Path, *, progress: Progress | None = None
) -> Glossary:
    """Stream the YAML's terms into a new database while validating them; keep it if all is well."""
    with _new_database(db_path) as connection:
        writer = _Writer(connection, progress)
        head = read_glossary(data, filename=filename, on_term=writer.add)
        writer.finish(head, data_hash=content_hash(data))
    return head


def built_hash(db_path: Path) -> str | None:
    """The data hash a database was built from, or None when it is missing or unreadable."""
    if not db_path.exists():
        return None
    try:
        with _readonly(db_path) as connection:
            rows = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    if rows.get("builder") != BUILDER:
        return None
    return str(rows["data_hash"]) if "data_hash" in rows else None


def built_terms(db_path: Path) -> int:
    """How many terms a built database holds."""
    with _readonly(db_path) as connection:
        return int(connection.execute("SELECT count(*) FROM term").fetchone()[0])


def build_database(
    glossary: Glossary, db_path: Path, *, data_hash: str, progress: Progress | None = None
) -> None:
    """Write a glossary held in memory to a new SQLite file and atomically replace db_path."""
    with _new_database(db_path) as connection:
        writer = _Writer(connection, progress)
        for term in glossary.terms:
            writer.add(term)
        writer.finish(glossary, data_hash=data_hash)


@contextmanager
def build_lock(db_path: Path) -> Iterator[None]:
    """Hold the builders' lock on db_path, then remove the temporaries that killed builds left.

    The lock is an flock on `{db}.lock` beside the database, taken by the server (start-up and
    every reload, in every worker) and by `python -m app build`: every build the project runs
    writes its temporary file while holding it, so a temporary found by the holder belongs to
    no live build, only to one that died (kill -9, power loss) before it could delete it.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{db_path}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _remove_temporaries(db_path)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def temporaries(db_path: Path) -> list[Path]:
    """The temporary files of builds of db_path (see _new_database), live or left behind."""
    # mkstemp's names: the prefix, eight characters from [a-z0-9_], the suffix.
    prefix, suffix = re.escape(f"{_TMP_PREFIX}{db_path.name}."), re.escape(_TMP_SUFFIX)
    name = re.compile(rf"{prefix}[a-z0-9_]{{8}}{suffix}")
    try:
        entries = list(db_path.parent.iterdir())
    except FileNotFoundError:
        return []
    return sorted(entry for entry in entries if name.fullmatch(entry.name))


def _remove_temporaries(db_path: Path) -> None:
    for path in temporaries(db_path):
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue
        log.warning("removed %s (%d bytes), left by a build that was interrupted", path, size)


@contextmanager
def _new_database(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to an empty database in a temporary file, in one transaction; the file
    replaces db_path when the block ends without an exception, and is deleted otherwise.
    A build killed before either is left as a temporary that build_lock() removes."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f"{_TMP_PREFIX}{db_path.name}.", suffix=_TMP_SUFFIX, dir=db_path.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        engine = create_engine(f"sqlite:///{tmp}")
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            with connection:
                yield connection
            connection.execute("ANALYZE")
        finally:
            connection.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


# Labels that name a term, for relations without a ref; resolved once every term is in.
_LINK_SCHEMA = (
    "CREATE TEMP TABLE link (label TEXT NOT NULL, term_id TEXT NOT NULL,"
    " position INTEGER NOT NULL, title INTEGER NOT NULL)"
)
# A title names the last term that has it; failing that, an alias names the first term.
_RESOLVE = (
    "CREATE INDEX temp.link_label ON link (label, title, position)",
    """UPDATE relation SET ref = coalesce(
        (SELECT term_id FROM link WHERE label = relation.label AND title = 1
         ORDER BY position DESC LIMIT 1),
        (SELECT term_id FROM link WHERE label = relation.label AND title = 0
         ORDER BY position LIMIT 1))
       WHERE ref IS NULL""",
    "UPDATE relation SET ref = NULL WHERE ref = term_id",
    "DROP TABLE link",
)


class _Writer:
    """Writes terms a batch at a time, in document order, then what needs all of them."""

    def __init__(self, connection: sqlite3.Connection, progress: Progress | None) -> None:
        self.connection = connection
        self.progress = progress
        self.batch: list[TermEntry] = []
        self.written = 0
        self.search = SearchIndex(connection)
        connection.execute(_LINK_SCHEMA)

    def add(self, term: TermEntry) -> None:
        self.batch.append(term)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        start, batch = self.written, self.batch
        _insert(self.connection, Term, [term_row(start + i, t) for i, t in enumerate(batch)])
        _insert(self.connection, Relation, [row for t in batch for row in relation_rows(t)])
        self.connection.executemany(
            "INSERT INTO link VALUES (?, ?, ?, ?)",
            [row for i, t in enumerate(batch, start=start) for row in _link_rows(i, t)],
        )
        self.search.add(batch, start=start)
        self.written, self.batch = start + len(batch), []
        if self.progress and batch:
            self.progress(self.written, 0)

    def finish(self, glossary: Glossary, *, data_hash: str) -> None:
        """Write the rest once every term is in: links, tags, meta and the search tables."""
        self.flush()
        for statement in _RESOLVE:
            self.connection.execute(statement)
        tag_rows = [
            {"id": tag, "position": i, "name_ja": name.ja, "name_en": name.en}
            for i, (tag, name) in enumerate(glossary.tags.items())
        ]
        _insert(self.connection, Tag, tag_rows)
        meta = {
            "data_hash": data_hash,
            "builder": BUILDER,
            "schema_version": str(glossary.version),
            "site": glossary.site.model_dump_json(),
        }
        _insert(self.connection, Meta, [{"key": k, "value": v} for k, v in meta.items()])
        self.search.finish()
        if self.progress:
            self.progress(self.written, self.written)


def _insert(
    connection: sqlite3.Connection, table: type[SQLModel], rows: list[dict[str, Any]]
) -> None:
    if not rows:
        return
    columns = list(rows[0])
    name = table.__tablename__
    sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.executemany(sql, ([row[c] for c in columns] for row in rows))


def _link_rows(position: int, term: TermEntry) -> list[tuple[str, str, int, int]]:
    """The labels that name this term: its aliases, then its titles."""
    rows = [(alias, term.id, position, 0) for alias in term.aliases]
    return [*rows, (term.title.en, term.id, position, 1), (term.title.ja, term.id, position, 1)]


@contextmanager
def _readonly(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()
