"""Validated glossary → SQLite file, written to a temporary file and renamed into place."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel, create_engine

from app import search
from app.glossary.loader import content_hash, load_bytes, parse_glossary
from app.glossary.schema import Glossary, TermEntry
from app.kana import reading_sort_key
from app.models import Meta, Relation, Tag, Term

Progress = Callable[[int, int], None]
BATCH = 2_000


def _builder_fingerprint() -> str:
    """A hash of the code that decides the database's layout, so new code rebuilds old files."""
    app_dir = Path(__file__).resolve().parent.parent
    sources = [*sorted((app_dir / "glossary").glob("*.py"))]
    sources += [app_dir / name for name in ("search.py", "textnorm.py", "models.py", "kana.py")]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


BUILDER = _builder_fingerprint()


def build_from_yaml(
    yaml_path: Path, db_path: Path, *, progress: Progress | None = None
) -> Glossary:
    """Validate the YAML and build its database; on any problem raise and leave db_path alone."""
    data = load_bytes(yaml_path)
    glossary = parse_glossary(data, filename=yaml_path.name)
    build_database(glossary, db_path, data_hash=content_hash(data), progress=progress)
    return glossary


def ensure_database(yaml_path: Path, db_path: Path) -> str:
    """Reuse db_path when it was built from this YAML, else rebuild it; return the data hash."""
    data = load_bytes(yaml_path)
    data_hash = content_hash(data)
    if built_hash(db_path) != data_hash:
        glossary = parse_glossary(data, filename=yaml_path.name)
        build_database(glossary, db_path, data_hash=data_hash)
    return data_hash


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


def build_database(
    glossary: Glossary, db_path: Path, *, data_hash: str, progress: Progress | None = None
) -> None:
    """Write the glossary to a new SQLite file and atomically replace db_path with it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
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
                _write(connection, glossary, data_hash=data_hash, progress=progress)
            connection.execute("ANALYZE")
        finally:
            connection.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def _write(
    connection: sqlite3.Connection,
    glossary: Glossary,
    *,
    data_hash: str,
    progress: Progress | None,
) -> None:
    links = _label_index(glossary.terms)
    total = len(glossary.terms)
    for start in range(0, total, BATCH):
        batch = glossary.terms[start : start + BATCH]
        _insert(connection, Term, [_term_row(start + i, term) for i, term in enumerate(batch)])
        _insert(connection, Relation, list(_relation_rows(batch, links)))
        if progress:
            progress(start + len(batch), total)
    tag_rows = [
        {"id": tag, "position": i, "name_ja": name.ja, "name_en": name.en}
        for i, (tag, name) in enumerate(glossary.tags.items())
    ]
    _insert(connection, Tag, tag_rows)
    meta = {
        "data_hash": data_hash,
        "builder": BUILDER,
        "schema_version": str(glossary.version),
        "site": glossary.site.model_dump_json(),
    }
    _insert(connection, Meta, [{"key": k, "value": v} for k, v in meta.items()])
    search.index_terms(connection, glossary.terms)


def _insert(
    connection: sqlite3.Connection, table: type[SQLModel], rows: list[dict[str, Any]]
) -> None:
    if not rows:
        return
    columns = list(rows[0])
    name = table.__tablename__
    sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.executemany(sql, ([row[c] for c in columns] for row in rows))


def _term_row(position: int, term: TermEntry) -> dict[str, Any]:
    return {
        "id": term.id,
        "position": position,
        "title_ja": term.title.ja,
        "title_en": term.title.en,
        "reading": term.reading,
        "sort_key": reading_sort_key(term.reading),
        "summary_ja": term.summary.ja,
        "summary_en": term.summary.en,
        "body_ja": term.body.ja if term.body else None,
        "body_en": term.body.en if term.body else None,
        "aliases": json.dumps(term.aliases, ensure_ascii=False),
        "tags": json.dumps(term.tags),
        "senses": json.dumps([s.model_dump() for s in term.senses], ensure_ascii=False),
        "sources": json.dumps([s.model_dump() for s in term.sources], ensure_ascii=False),
        "updated": term.updated.isoformat(),
    }


def _label_index(terms: Sequence[TermEntry]) -> dict[str, str]:
    """Label → term id for relations without a ref: titles win over aliases."""
    index: dict[str, str] = {}
    for term in terms:
        for alias in term.aliases:
            index.setdefault(alias, term.id)
    for term in terms:
        index[term.title.en] = term.id
        index[term.title.ja] = term.id
    return index


def _relation_rows(terms: Sequence[TermEntry], links: dict[str, str]) -> Iterator[dict[str, Any]]:
    for term in terms:
        for kind, position, relation in term.relations():
            ref = relation.ref or links.get(relation.label)
            yield {
                "term_id": term.id,
                "kind": kind,
                "position": position,
                "label": relation.label,
                "label_en": relation.label_en,
                "ref": None if ref == term.id else ref,
                "note_ja": relation.note.ja,
                "note_en": relation.note.en,
                "sense": relation.sense,
            }


@contextmanager
def _readonly(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()
