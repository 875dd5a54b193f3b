"""The response cache's memory cannot be grown by clients: it is bounded in bytes
(GLOSSARY_CACHE_BYTES), and only what changes a response makes a new entry — the path and the
query parameters its route declares. A query parameter no route declares (?utm_source=…,
?r=123) is served from the path's entry and never shows up in a page. Last, a real server
under thousands of distinct URLs and hundreds of the largest backprop answers stays within a
fixed amount of memory over its size after a warm-up (its RSS, read from /proc)."""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.main import create_app
from app.settings import ROOT, Settings
from app.web.demo_view import FIELDS
from app.web.http_cache import ENTRY_OVERHEAD, HttpCache, query_names
from tests.conftest import GLOSSARY, uvicorn_process

MiB = 1024 * 1024


def response_cache(app: FastAPI) -> HttpCache:
    """The app's HttpCache middleware, found in its middleware stack (built at start-up)."""
    layer = app.middleware_stack
    while not isinstance(layer, HttpCache):
        assert layer is not None, "the app has no HttpCache"
        layer = getattr(layer, "app", None)
    return layer


@contextmanager
def started(settings: Settings, **changes: object) -> Iterator[tuple[TestClient, HttpCache]]:
    """The real app for these settings (and changes), started, with its response cache."""
    app = create_app(settings.model_copy(update={"reload_interval": 0, **changes}))
    with TestClient(app, follow_redirects=False) as client:
        yield client, response_cache(app)


@pytest.fixture
def fresh(settings: Settings) -> Iterator[tuple[TestClient, HttpCache]]:
    with started(settings) as started_app:
        yield started_app


def accounted(cache: HttpCache) -> int:
    return sum(entry.size for entry in cache.entries.values())


# ── What is keyed ──────────────────────────────────────────────────────────────────────────


def test_undeclared_query_parameters_make_no_entries(fresh: tuple[TestClient, HttpCache]) -> None:
    client, cache = fresh
    first = {path: client.get(path) for path in ("/sitemap.xml", "/", "/terms/relu")}
    entries, size = len(cache.entries), cache.size_bytes
    assert entries == 3
    for n in range(1, 201):
        for path, answer in first.items():
            response = client.get(f"{path}?r={n}&utm_source={n}")
            assert response.status_code == 200
            assert response.headers["etag"] == answer.headers["etag"]
            assert response.content == answer.content
    assert (len(cache.entries), cache.size_bytes) == (entries, size)
    assert [key[2] for key in cache.entries] == ["", "", ""]


def test_declared_query_parameters_make_distinct_entries(
    fresh: tuple[TestClient, HttpCache],
) -> None:
    client, cache = fresh
    paths = ("/api/v1/backprop?x=1", "/api/v1/backprop?x=2", "/search?q=a", "/search?q=b")
    answers = [client.get(path) for path in paths]
    assert len(cache.entries) == 4
    assert len({answer.headers["etag"] for answer in answers}) == 4
    assert answers[0].json()["forward"] != answers[1].json()["forward"]
    # the same declared values in another order, or with more undeclared ones: the same entry
    for path in ("/api/v1/backprop?utm=1&x=1", "/search?q=a&page=2", "/search?page=3&q=a"):
        assert client.get(path).status_code == 200
    assert client.get("/api/v1/backprop?w1=2&x=1").status_code == 200
    assert client.get("/api/v1/backprop?x=1&w1=2&ref=z").status_code == 200
    assert sorted(key[1:] for key in cache.entries) == [
        ("/api/v1/backprop", "x=1"),
        ("/api/v1/backprop", "x=1&w1=2"),
        ("/api/v1/backprop", "x=2"),
        ("/search", "q=a"),
        ("/search", "q=b"),
    ]


def test_the_demo_and_its_frame_declare_their_parameters(
    fresh: tuple[TestClient, HttpCache],
) -> None:
    client, cache = fresh
    assert client.get("/demo/backprop?x=2&utm_source=a").status_code == 200
    assert client.get("/demo/backprop?x=3").status_code == 200
    two = client.get("/demo/backprop?utm_source=b&x=2")
    assert re.search(r'<input id="f-x" name="x" [^>]*value="2"', two.text)
    assert client.get("/embed/backprop?x=2&lang=en&frame=a&utm_source=c").status_code == 200
    assert client.get("/embed/backprop?x=2").status_code == 200
    assert sorted(key[1:] for key in cache.entries) == [
        ("/demo/backprop", "x=2"),
        ("/demo/backprop", "x=3"),
        ("/embed/backprop", "lang=en&frame=a&x=2"),
        ("/embed/backprop", "x=2"),
    ]
    routes = {getattr(route, "path", None): route for route in _routes(client.app)}
    assert query_names(routes["/demo/backprop"]) == FIELDS
    assert query_names(routes["/embed/backprop"]) == ("lang", "frame", *FIELDS)
    assert query_names(routes["/embed/terms/{term_id}"]) == ("lang", "frame")
    assert query_names(routes["/terms/{term_id}"]) == ()


def _routes(app: object) -> list[object]:
    from fastapi.routing import iter_route_contexts

    assert isinstance(app, FastAPI)
    return [context.original_route for context in iter_route_contexts(app.routes)]


def test_no_page_shows_an_undeclared_parameter(fresh: tuple[TestClient, HttpCache]) -> None:
    client, _ = fresh
    switch = re.compile(r'<a class="lang-switch" href="([^"]*)"')
    page = client.get("/terms/relu?utm_source=x")
    assert switch.findall(page.text) == ["/en/terms/relu"]
    assert "utm_source" not in page.text
    search = client.get("/search?utm_source=x&q=relu")
    assert switch.findall(search.text) == ["/en/search?q=relu"]
    assert "utm_source" not in search.text
    missing = client.get("/nowhere?utm_source=x")
    assert missing.status_code == 404 and "utm_source" not in missing.text
    name = quote("誤差伝播")
    for utm in ("a", "b"):  # the second is the first's kept redirect
        moved = client.get(f"/embed/terms/{name}?utm_source={utm}&lang=en&frame=f")
        assert moved.headers["location"] == "/embed/terms/backpropagation?lang=en&frame=f"
    frame = client.get("/embed/backprop?x=2&utm_source=x&lang=en")
    assert "utm_source" not in frame.text


def test_no_handler_reads_the_raw_query_string() -> None:
    """Handlers take declared parameters (and pages show Page.query): only middleware that
    keeps no response looks at the whole query string."""
    allowed = {"http_cache.py", "security.py", "unrouted.py"}  # key, size limit, 307 redirect
    raw = re.compile(r'query_params|url\.query|"query_string"')
    for path in sorted((ROOT / "app" / "web").rglob("*.py")):
        if path.name not in allowed:
            assert not raw.search(path.read_text(encoding="utf-8")), path


# ── The budget ─────────────────────────────────────────────────────────────────────────────


def test_the_byte_budget_holds_and_evicts_the_least_recently_used(settings: Settings) -> None:
    budget = 128 * 1024
    with started(settings, cache_bytes=budget) as (client, cache):
        assert cache.max_bytes == budget
        for n in range(1, 101):
            response = client.get(f"/api/v1/backprop?x={n}", headers={"accept-encoding": "br"})
            assert response.status_code == 200
            assert cache.size_bytes <= budget
            assert cache.size_bytes == accounted(cache)
            if n == 1:
                entry = cache.entries[next(iter(cache.entries))]
                assert entry.size > ENTRY_OVERHEAD + len(entry.body) + len(entry.variants["br"])
                before = cache.size_bytes
                client.get("/api/v1/backprop?x=1", headers={"accept-encoding": "gzip"})
                assert cache.size_bytes == before + len(entry.variants["gzip"])  # when made
        kept = [key[2] for key in cache.entries]
        assert 4 < len(kept) < 100
        assert kept == [f"x={n}" for n in range(101 - len(kept), 101)]  # the most recent
        # a hit makes an entry the most recently used: it outlives newer ones
        oldest = kept[0]
        client.get(f"/api/v1/backprop?{oldest}", headers={"accept-encoding": "br"})
        client.get("/api/v1/backprop?x=1000", headers={"accept-encoding": "br"})
        assert oldest in [key[2] for key in cache.entries]
        assert kept[1] not in [key[2] for key in cache.entries]


def test_an_entry_larger_than_its_share_of_the_budget_is_not_kept(settings: Settings) -> None:
    with started(settings, cache_bytes=128 * 1024) as (client, cache):
        sitemap = client.get("/sitemap.xml")  # about 75 kB: more than an eighth of the budget
        assert sitemap.status_code == 200 and sitemap.headers["etag"]
        assert len(cache.entries) == 0 and cache.size_bytes == 0


def test_a_budget_of_zero_keeps_nothing(settings: Settings) -> None:
    with started(settings, cache_bytes=0) as (client, cache):
        for path in ("/", "/terms/relu", "/api/v1/backprop?x=1", "/sitemap.xml"):
            response = client.get(path, headers={"accept-encoding": "br"})
            assert response.status_code == 200
            again = client.get(
                path, headers={"accept-encoding": "br", "if-none-match": response.headers["etag"]}
            )
            assert again.status_code == 304  # ETags and compression without keeping anything
        assert len(cache.entries) == 0 and cache.size_bytes == 0


def test_the_budget_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLOSSARY_CACHE_BYTES", raising=False)
    assert Settings().cache_bytes == 64 * MiB
    monkeypatch.setenv("GLOSSARY_CACHE_BYTES", "1048576")
    assert Settings().cache_bytes == MiB
    monkeypatch.setenv("GLOSSARY_CACHE_BYTES", "-1")
    with pytest.raises(ValidationError, match="GLOSSARY_CACHE_BYTES"):
        Settings()


def test_paths_are_remembered_in_a_bounded_memo(fresh: tuple[TestClient, HttpCache]) -> None:
    client, cache = fresh
    memo = cache.query_names.memo
    for n in range(1100):
        assert client.head(f"/api/v1/nowhere/{n}").status_code == 404
    assert len(memo) == 1024
    client.get("/search?q=x")
    assert memo["/search"] == ("q",)
    client.get("/" + "x" * 300)  # a long path is resolved, not remembered
    assert "/" + "x" * 300 not in memo


# ── A real server ──────────────────────────────────────────────────────────────────────────

PAGES = ("/sitemap.xml", "/", "/terms/relu")
DISTINCT_PAGES = 6000
# 300 were measured once (RSS +49 MiB); 120 keep the suite's run short and still pass 26 MB
# of distinct answers through the cache.
LARGEST_BACKPROPS = 120
LARGEST = "/api/v1/backprop?steps=10000&x={x}"  # the most steps: about 220 kB of JSON
MAX_GROWTH = 80 * MiB


def _rss(pid: int) -> int:
    """The process's resident set size in bytes (VmRSS, which /proc gives in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn serving the app in a process of its own, on a free loopback port, with the
    default cache budget."""
    settings = {
        "GLOSSARY_DATA": str(GLOSSARY),
        "GLOSSARY_DB": str(tmp_path / "glossary.sqlite"),
        "GLOSSARY_RELOAD_INTERVAL": "0",
    }
    with uvicorn_process(settings) as running:
        yield running


def test_a_real_servers_memory_stays_bounded_under_distinct_urls(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    """6,000 distinct query strings on three pages and 120 distinct backprop answers of the
    largest size (about 26 MB of JSON, and their compressed forms). The backprop requests are
    most of this test's run: each is about a quarter of a second of the server's CPU."""
    base, process = server
    statuses: dict[str, list[int]] = {"pages": [], "backprop": []}
    with httpx.Client(base_url=base, timeout=60) as client:  # warm-up: every kind, a few times
        for n in range(10):
            for path in PAGES:
                statuses["pages"].append(client.get(f"{path}?warm={n}").status_code)
            statuses["backprop"].append(client.get(LARGEST.format(x=-1 - n)).status_code)
    warm = _rss(process.pid)

    def pages(first: int, step: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for n in range(first, DISTINCT_PAGES, step):
                path = PAGES[n % len(PAGES)]
                statuses["pages"].append(client.get(f"{path}?r={n}").status_code)

    def backprops() -> None:  # one at a time: a process computes one large request at once
        with httpx.Client(base_url=base, timeout=60) as client:
            for n in range(LARGEST_BACKPROPS):
                response = client.get(LARGEST.format(x=n / 1000))
                statuses["backprop"].append(response.status_code)

    workers = [threading.Thread(target=pages, args=(first, 3)) for first in range(3)]
    workers.append(threading.Thread(target=backprops))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    grown = _rss(process.pid) - warm
    assert statuses["pages"] == [200] * (DISTINCT_PAGES + 30)
    assert statuses["backprop"] == [200] * (LARGEST_BACKPROPS + 10)
    assert grown <= MAX_GROWTH, f"RSS grew by {grown / MiB:.1f} MiB"
