"""A build killed with SIGKILL leaves its temporary file beside the database; the next build or
start removes it. Every build runs under the lock file {db}.lock (the server's workers and
`python -m app build` alike), so the lock's holder removes only temporaries of builds that died,
never the file of a build still running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.data.store import DataStore
from app.glossary.build import build_lock, built_hash, built_terms, temporaries
from app.glossary.loader import content_hash
from app.settings import ROOT, Settings
from bench.gen_glossary import document, generate, to_yaml
from tests.conftest import YAML_HEAD as HEAD
from tests.conftest import write
from tests.test_loader import term

LARGE = 5_000  # terms: a build that takes long enough to be caught writing its temporary


@pytest.fixture(scope="module")
def large_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.yaml"
    path.write_text(to_yaml(document(list(generate(LARGE)))), encoding="utf-8")
    return path


def start_build(yaml_path: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "build", str(yaml_path), "--db", str(db), "--quiet"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_build(yaml_path: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "build", str(yaml_path), "--db", str(db), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def wait_for_temporary(db: Path, build: subprocess.Popen[bytes], min_bytes: int = 1) -> Path:
    """The build's temporary file, once it holds at least min_bytes."""
    deadline = time.monotonic() + 300
    while True:
        found = [path for path in temporaries(db) if _size(path) >= min_bytes]
        if found:
            return found[0]
        assert build.poll() is None, "the build ended before its temporary file was seen"
        assert time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.01)


def kill_mid_build(yaml_path: Path, db: Path) -> Path:
    """Start a build, SIGKILL it while it writes its temporary file; return that file."""
    build = start_build(yaml_path, db)
    try:
        tmp = wait_for_temporary(db, build, min_bytes=64 * 1024)
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert tmp.exists()  # left behind: nothing ran to delete it
    return tmp


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def test_the_next_build_removes_what_a_killed_build_left(tmp_path: Path, large_yaml: Path) -> None:
    db = tmp_path / "g.sqlite"
    tmp = kill_mid_build(large_yaml, db)
    assert not db.exists()
    small = write(tmp_path, HEAD + term())
    result = run_build(small, db)
    assert result.returncode == 0, result.stderr
    assert not tmp.exists()
    assert temporaries(db) == []
    assert built_terms(db) == 1
    assert built_hash(db) == content_hash(small.read_bytes())


def test_the_next_start_removes_it_with_no_build_to_do(tmp_path: Path, large_yaml: Path) -> None:
    db = tmp_path / "g.sqlite"
    small = write(tmp_path, HEAD + term())
    assert run_build(small, db).returncode == 0
    inode = db.stat().st_ino
    tmp = kill_mid_build(large_yaml, db)
    assert built_hash(db) == content_hash(small.read_bytes())  # the database was not touched
    store = DataStore(Settings(data=small, db=db, reload_interval=0))
    store.open()  # the database is current: nothing is built, the temporary is removed
    try:
        assert not tmp.exists()
        assert temporaries(db) == []
        assert db.stat().st_ino == inode
        assert built_terms(db) == 1
        with store.current.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT id FROM term").scalars().all() == ["gradient"]
    finally:
        store.close()


def test_the_temporary_of_a_running_build_is_left_alone(tmp_path: Path, large_yaml: Path) -> None:
    db = tmp_path / "g.sqlite"
    build = start_build(large_yaml, db)
    try:
        tmp = wait_for_temporary(db, build)
        # The build holds the lock: taking it waits for the build to finish, and finds its
        # temporary renamed into place rather than removing it.
        with build_lock(db):
            assert not tmp.exists()
            assert temporaries(db) == []
            assert built_hash(db) == content_hash(large_yaml.read_bytes())
        assert build.wait(timeout=600) == 0
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert built_terms(db) == LARGE


def test_a_temporary_of_another_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite"
    other = tmp_path / ".g.sqlite.old.abcd1234.tmp"  # a temporary of g.sqlite.old
    other.write_bytes(b"")
    stale = tmp_path / ".g.sqlite.abcd1234.tmp"
    stale.write_bytes(b"")
    assert temporaries(db) == [stale]
    with build_lock(db):
        assert not stale.exists()
    assert other.exists()
