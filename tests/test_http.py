"""HTTP behaviour for production: strong ETags that depend only on the data and the bytes,
304s that keep their headers, brotli/gzip, immutable hashed assets, and hot reload that swaps
in a changed YAML and refuses a broken one while the last good data keeps being served."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.conftest import GLOSSARY, write
from tests.test_cache_memory import response_cache
from tests.test_loader import HEAD, term


def test_pages_and_api_carry_strong_etags_and_cache_control(client: TestClient) -> None:
    for path in ("/", "/terms/backpropagation", "/en/terms/relu", "/api/v1/terms/relu"):
        response = client.get(path, headers={"accept-encoding": "identity"})
        assert re.fullmatch(r'"[0-9a-f]{24}"', response.headers["etag"]), path
        assert response.headers["cache-control"].startswith("public, max-age=")
        assert "stale-while-revalidate" in response.headers["cache-control"]
        again = client.get(
            path, headers={"if-none-match": response.headers["etag"], "accept-encoding": "identity"}
        )
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == response.headers["etag"]
        assert again.headers["cache-control"] == response.headers["cache-control"]


def test_a_stale_etag_gets_the_full_page(client: TestClient) -> None:
    response = client.get("/terms/relu", headers={"if-none-match": '"0123456789abcdef01234567"'})
    assert response.status_code == 200 and response.content


def test_text_is_compressed_with_brotli_or_gzip(client: TestClient) -> None:
    plain = client.get("/terms/backpropagation", headers={"accept-encoding": "identity"})
    br = client.get("/terms/backpropagation", headers={"accept-encoding": "gzip, br"})
    gz = client.get("/terms/backpropagation", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert br.headers["content-encoding"] == "br"
    assert gz.headers["content-encoding"] == "gzip"
    assert br.content == gz.content == plain.content  # httpx decodes both
    assert br.headers["vary"] == "Accept-Encoding"
    assert len({plain.headers["etag"], br.headers["etag"], gz.headers["etag"]}) == 3
    raw = client.build_request("GET", "/terms/backpropagation", headers={"accept-encoding": "br"})
    streamed = client.send(raw, stream=True)
    compressed = b"".join(streamed.iter_raw())
    streamed.close()
    assert brotli.decompress(compressed) == plain.content
    assert len(compressed) < len(plain.content) / 3


def test_errors_and_health_are_not_cached(client: TestClient) -> None:
    assert client.get("/healthz").headers["cache-control"] == "no-store"
    problem = client.get("/api/v1/terms?limit=0")
    assert problem.status_code == 422
    assert "public" not in problem.headers.get("cache-control", "")


def test_replicas_built_from_the_same_yaml_send_the_same_bytes_and_etag(tmp_path: Path) -> None:
    answers = []
    for name in ("one", "two"):
        settings = Settings(data=GLOSSARY, db=tmp_path / f"{name}.sqlite", reload_interval=0)
        with TestClient(create_app(settings)) as replica:
            response = replica.get("/terms/backpropagation", headers={"accept-encoding": "br"})
            answers.append((response.headers["etag"], response.content))
    assert answers[0] == answers[1]


def test_hashed_static_files_are_immutable(client: TestClient) -> None:
    html = client.get("/terms/relu").text
    hashed = re.search(r'href="(/static/app\.[0-9a-f]{10}\.css)"', html)
    assert hashed, "the stylesheet is linked by its hashed name"
    response = client.get(hashed.group(1))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.content == client.get("/static/app.css").content
    assert client.get("/static/app.css").headers["cache-control"] == "public, max-age=300"
    assert client.get("/static/app.0000000000.css").status_code == 404


def wait_for(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def reloading(tmp_path: Path) -> tuple[Path, TestClient]:
    yaml_path = write(tmp_path, HEAD + term())
    settings = Settings(data=yaml_path, db=tmp_path / "g.sqlite", reload_interval=0.05)
    return yaml_path, TestClient(create_app(settings))


def test_a_changed_yaml_is_swapped_in(reloading: tuple[Path, TestClient]) -> None:
    yaml_path, client = reloading
    with client:
        first = client.get("/en/terms/gradient")
        assert "<h1>Gradient</h1>" in first.text
        write(yaml_path.parent, HEAD + term(en="Gradient vector"))
        wait_for(lambda: "<h1>Gradient vector</h1>" in client.get("/en/terms/gradient").text)
        assert client.get("/en/terms/gradient").headers["etag"] != first.headers["etag"]
        assert client.get("/healthz").json()["status"] == "ok"


def test_a_broken_yaml_keeps_the_last_good_data(reloading: tuple[Path, TestClient]) -> None:
    yaml_path, client = reloading
    with client:
        version = client.get("/healthz").json()["data_version"]
        write(yaml_path.parent, HEAD + term(reading="コウバイ"))
        wait_for(lambda: client.get("/healthz").json()["status"] == "stale")
        health = client.get("/healthz").json()
        assert health["data_version"] == version
        assert health["reload_problems"] == [
            "glossary.yaml:10:14: terms[0].reading: reading 'コウバイ' must be written in hiragana"
        ]
        assert client.get("/terms/gradient").status_code == 200
        write(yaml_path.parent, HEAD + term(en="Slope"))
        wait_for(lambda: client.get("/healthz").json()["status"] == "ok")
        assert "<h1>Slope</h1>" in client.get("/en/terms/gradient").text


def test_a_broken_yaml_stops_the_first_start(tmp_path: Path) -> None:
    from app.glossary.problems import GlossaryError

    settings = Settings(data=write(tmp_path, "version: 1\n"), db=tmp_path / "g.sqlite")
    with pytest.raises(GlossaryError), TestClient(create_app(settings)):
        pass
    assert not (tmp_path / "g.sqlite").exists()


def test_head_answers_with_the_headers_of_get(client: TestClient) -> None:
    for path in ("/", "/terms/relu", "/api/v1/terms/relu", "/sitemap.xml", "/nowhere"):
        get = client.get(path, headers={"accept-encoding": "identity"})
        head = client.head(path, headers={"accept-encoding": "identity"})
        assert head.status_code == get.status_code, path
        assert head.content == b""
        assert head.headers["etag"] == get.headers["etag"], path
        assert head.headers["content-length"] == get.headers["content-length"], path


def test_a_response_rendered_while_the_data_changed_is_not_kept(settings: Settings) -> None:
    """The cache reads the data version once when it looks a request up, keys and tags the
    response with that version, and reads it again once the response is rendered: if a reload
    swapped the data in meanwhile, the response is sent but kept under no version's key."""
    app = create_app(settings.model_copy(update={"reload_interval": 0}))
    with TestClient(app) as client:
        cache = response_cache(app)
        versions = iter(["A", "B"])  # at the lookup, then after rendering
        cache.version = lambda: next(versions)
        assert client.get("/terms/relu").status_code == 200
        assert len(cache.entries) == 0 and cache.size_bytes == 0
        cache.version = lambda: "B"  # no change while rendering: kept, under that version
        assert client.get("/terms/relu").status_code == 200
        assert [key[:2] for key in cache.entries] == [("B", "/terms/relu")]
