"""Building the SQLite file: atomic (a temporary file renamed into place), skipped when the
YAML's hash is unchanged, and never replacing good data with a broken YAML."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.glossary.build import build_from_yaml, built_hash, built_terms, ensure_database
from app.glossary.loader import content_hash, load_glossary
from app.glossary.problems import GlossaryError
from tests.conftest import GLOSSARY, write
from tests.test_loader import HEAD, term


def count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return int(connection.execute("SELECT count(*) FROM term").fetchone()[0])


def test_the_bundled_glossary_builds(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    glossary = build_from_yaml(GLOSSARY, db)
    assert glossary.terms == []  # the terms went to the database as they were read
    assert count(db) == len(load_glossary(GLOSSARY).terms) == built_terms(db)
    assert built_hash(db) == content_hash(GLOSSARY.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["g.sqlite"]  # no temporary file left


def test_a_broken_yaml_leaves_the_old_database(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    good = write(tmp_path, HEAD + term())
    build_from_yaml(good, db)
    before = db.read_bytes()
    broken = write(tmp_path, HEAD + term() + "  - id: [broken\n", "broken.yaml")
    with pytest.raises(GlossaryError):
        build_from_yaml(broken, db)
    with pytest.raises(GlossaryError):
        ensure_database(broken, db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "broken.yaml",
        "g.sqlite",
        "glossary.yaml",
    ]


def test_a_reader_keeps_its_data_while_a_rebuild_swaps_the_file(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    path = write(tmp_path, HEAD + term())
    build_from_yaml(path, db)
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    write(
        tmp_path,
        HEAD + term() + term(id="chain-rule", ja="連鎖律", en="Chain rule", reading="れんさりつ"),
    )
    ensure_database(path, db)
    assert (
        reader.execute("SELECT count(*) FROM term").fetchone()[0] == 1
    )  # the old file, still open
    reader.close()
    assert count(db) == 2


def test_an_unchanged_yaml_is_not_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    path = write(tmp_path, HEAD + term())
    first = ensure_database(path, db)
    inode = db.stat().st_ino
    assert ensure_database(path, db) == first
    assert db.stat().st_ino == inode
    write(tmp_path, HEAD + term(en="Gradient vector"))
    assert ensure_database(path, db) != first
    assert db.stat().st_ino != inode


def test_a_database_from_elsewhere_is_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    db.write_bytes(b"not a database")
    assert built_hash(db) is None
    ensure_database(write(tmp_path, HEAD + term()), db)
    assert count(db) == 1


def test_labels_without_ref_link_to_the_term_they_name(tmp_path: Path) -> None:
    relation = "    related:\n      - {label: Chain rule, note: {ja: 注, en: Note}}\n"
    text = (
        HEAD
        + term()
        + relation
        + term(id="chain-rule", ja="連鎖律", en="Chain rule", reading="れんさりつ")
    )
    db = tmp_path / "g.sqlite"
    build_from_yaml(write(tmp_path, text), db)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT ref FROM relation").fetchall() == [("chain-rule",)]
