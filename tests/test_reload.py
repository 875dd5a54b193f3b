"""Hot reload never serves a file caught halfway through being written: a change is loaded only
once the YAML has stayed the same for the settle window (GLOSSARY_RELOAD_SETTLE), and then the
search package keeps the typo index of the new version only.

The store is driven by hand on a clock the test sets, so what happens at each moment of the
window is certain; a real server process shows the same end to end."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app import search
from app.data.db import open_engine, raw_connection_of
from app.data.store import DataStore
from app.glossary.build import built_terms
from app.glossary.loader import content_hash
from app.main import create_app
from app.search import typos
from app.settings import Settings
from bench.gen_glossary import document, generate, to_yaml
from tests.conftest import YAML_HEAD as HEAD
from tests.conftest import uvicorn_process, write
from tests.test_loader import term

TERMS = 2_000
SETTLE = 3.0


class Clock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def glossaries() -> tuple[str, str, int]:
    """The old and the new text of a TERMS-term glossary, and where the new one's second half
    begins: at a term boundary, so its first half alone is a valid, shorter glossary."""
    new = to_yaml(document(list(generate(TERMS))))
    old = new.replace("合成用語集", "旧合成用語集", 1)
    half = new.index("\n  - id: ", len(new) // 2) + 1
    return old, new, half


@pytest.fixture(scope="module")
def texts() -> tuple[str, str, int]:
    return glossaries()


def second_half_id(new: str, half: int) -> str:
    line = new[half:].split("\n", 1)[0]  # `  - id: "some-term"`
    return line.split('"')[1]


def test_a_file_written_in_two_parts_is_loaded_only_when_complete(
    tmp_path: Path, texts: tuple[str, str, int]
) -> None:
    old, new, half = texts
    data = write(tmp_path, old)
    clock = Clock()
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0, reload_settle=3)
    store = DataStore(settings, clock=clock)
    store.open()
    served = store.version
    with data.open("w", encoding="utf-8") as writer:  # in place: same inode, truncated
        writer.write(new[:half])
        writer.flush()
        for clock.now in (10.0, 11.0, 12.9):  # the half file, unchanged for under 3 s
            assert not store.reload_if_changed()
            assert store.version == served
            assert store.settles_at == 13.0
        writer.write(new[half:])  # the writer resumes 2.9 s after the half was first seen
    for clock.now in (13.0, 14.0, 15.9):  # the window starts again from the complete file
        assert not store.reload_if_changed()
        assert store.version == served
    clock.now = 16.0
    assert store.reload_if_changed()
    assert store.version == content_hash(new.encode())
    assert built_terms(settings.db_path) == TERMS
    assert store.settles_at is None
    assert not store.reload_if_changed()  # nothing changed since
    store.close()


def test_the_settle_window_is_counted_from_the_last_change_seen(tmp_path: Path) -> None:
    data = write(tmp_path, HEAD + term())
    clock = Clock()
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0, reload_settle=3)
    store = DataStore(settings, clock=clock)
    store.open()
    served = store.version
    with data.open("a", encoding="utf-8") as writer:
        for step in range(5):  # a slow writer: a line every 2 s, 10 s in all
            clock.now = 2.0 * step
            writer.write(f"# line {step}\n")
            writer.flush()
            assert not store.reload_if_changed()
    clock.now = 8.0 + 2.9
    assert not store.reload_if_changed()
    assert store.version == served
    clock.now = 11.0
    assert store.reload_if_changed()
    assert store.version == content_hash(data.read_bytes())
    store.close()


def test_a_change_undone_within_the_window_is_not_loaded(tmp_path: Path) -> None:
    text = HEAD + term()
    data = write(tmp_path, text)
    clock = Clock()
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0, reload_settle=3)
    store = DataStore(settings, clock=clock)
    store.open()
    stat = data.stat()
    data.write_text(text + "# edited\n", encoding="utf-8")
    assert not store.reload_if_changed()
    assert store.settles_at == 3.0
    data.write_text(text, encoding="utf-8")
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # back to what was loaded
    clock.now = 10.0
    assert not store.reload_if_changed()
    assert store.settles_at is None
    store.close()


def test_a_settle_window_of_zero_loads_a_change_at_once(tmp_path: Path) -> None:
    data = write(tmp_path, HEAD + term())
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0, reload_settle=0)
    store = DataStore(settings, clock=Clock())
    store.open()
    write(tmp_path, HEAD + term(en="Slope"))
    assert store.reload_if_changed()
    assert store.version == content_hash(data.read_bytes())
    store.close()


def test_an_atomically_replaced_file_is_loaded_after_the_window(tmp_path: Path) -> None:
    """A new inode is no proof of a complete file (unlink, then write, gives one too), so a
    replaced file waits the window like any change; it is loaded then, whole."""
    data = write(tmp_path, HEAD + term())
    clock = Clock()
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0, reload_settle=3)
    store = DataStore(settings, clock=clock)
    store.open()
    served = store.version
    replacement = write(tmp_path, HEAD + term(en="Slope"), ".glossary.yaml.new")
    os.replace(replacement, data)
    assert not store.reload_if_changed()
    assert store.version == served
    clock.now = 3.0
    assert store.reload_if_changed()
    assert store.version == content_hash(data.read_bytes())
    store.close()


def test_an_atomic_replacement_is_served_by_the_running_app(tmp_path: Path) -> None:
    data = write(tmp_path, HEAD + term())
    settings = Settings(
        data=data, db=tmp_path / "g.sqlite", reload_interval=0.05, reload_settle=0.2
    )
    with TestClient(create_app(settings)) as client:
        assert "<h1>Gradient</h1>" in client.get("/en/terms/gradient").text
        replacement = write(tmp_path, HEAD + term(en="Slope"), ".glossary.yaml.new")
        os.replace(replacement, data)
        version = content_hash(data.read_bytes())[:16]
        wait_for(lambda: client.get("/healthz").json()["data_version"] == version)
        assert "<h1>Slope</h1>" in client.get("/en/terms/gradient").text


def test_after_a_reload_only_the_new_version_keeps_a_typo_index(tmp_path: Path) -> None:
    data = write(tmp_path, HEAD + term())
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0, reload_settle=0)
    store = DataStore(settings)
    store.open()
    old = store.version
    assert old in typos.cached_versions()
    reader = store.current.engine.connect()  # a request that began before the reload
    write(tmp_path, HEAD + term(ja="勾配ベクトル"))
    assert store.reload_if_changed()
    assert typos.cached_versions() == [store.version]
    # The request on the old version still finds a term one typo away, without its index
    # being kept again.
    hits = search.search(raw_connection_of(reader), "gradiant")
    assert [hit.term_id for hit in hits] == ["gradient"]
    assert typos.cached_versions() == [store.version]
    reader.close()
    engine = open_engine(settings.db_path)
    with engine.connect() as connection:
        assert [h.term_id for h in search.search(raw_connection_of(connection), "gradiant")] == [
            "gradient"
        ]
    engine.dispose()
    assert typos.cached_versions() == [store.version]
    store.close()


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def server(tmp_path: Path, texts: tuple[str, str, int]) -> Iterator[tuple[str, Path]]:
    """A real server process on the old text, checking the YAML every 0.1 s, settle 3 s."""
    old, _new, _half = texts
    data = write(tmp_path, old)
    settings = {
        "GLOSSARY_DATA": str(data),
        "GLOSSARY_DB": str(tmp_path / "g.sqlite"),
        "GLOSSARY_RELOAD_INTERVAL": "0.1",
        "GLOSSARY_RELOAD_SETTLE": str(SETTLE),
    }
    with uvicorn_process(settings) as (base, _process):
        yield base, data


def test_a_server_never_serves_a_half_written_file(
    server: tuple[str, Path], texts: tuple[str, str, int]
) -> None:
    base, data = server
    _old, new, half = texts
    later_term = f"{base}/api/v1/terms/{second_half_id(new, half)}"
    new_version = content_hash(new.encode())[:16]
    counts: list[int] = []
    statuses: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                counts.append(client.get(f"{base}/healthz").json()["terms"])
                statuses.append(client.get(later_term).status_code)

    poller = threading.Thread(target=poll)
    assert httpx.get(later_term).status_code == 200
    poller.start()
    try:
        with data.open("w", encoding="utf-8") as writer:
            writer.write(new[:half])
            writer.flush()
            seen = len(counts)
            time.sleep(SETTLE / 4)  # a pause at a term boundary, well inside the window
            writer.write(new[half:])
        assert len(counts) > seen, "nothing was asked while the file was half written"
        wait_for(lambda: httpx.get(f"{base}/healthz").json()["data_version"] == new_version)
    finally:
        stop.set()
        poller.join(timeout=60)
    assert set(counts) == {TERMS}
    assert set(statuses) == {200}
    assert httpx.get(later_term).status_code == 200
