"""Security headers on every kind of response, a CSP with no unsafe-inline, frame rules
(only the site itself may frame pages; /embed/* follows GLOSSARY_EMBED_ORIGINS), and the
request size limits answered with problem+json."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.web.security import MAX_BODY_BYTES, frame_ancestors
from tests.conftest import GLOSSARY

PATHS = [
    "/",
    "/en/terms/relu",
    "/api/v1/terms/relu",
    "/api/v1/terms/nope",
    "/nowhere",
    "/static/app.css",
    "/healthz",
    "/docs",
    "/openapi.json",
]


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in PATHS:
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert "frame-ancestors 'self'" in policy, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert "camera=()" in headers["permissions-policy"], path
        assert headers["x-frame-options"] == "SAMEORIGIN", path


def test_a_304_carries_them_too(client: TestClient) -> None:
    etag = client.get("/terms/relu").headers["etag"]
    response = client.get("/terms/relu", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert "content-security-policy" in response.headers


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", "/terms/backpropagation", "/en/search?q=relu", "/docs", "/nowhere"):
        html = client.get(path).text
        assert "<script>" not in html, path
        assert "<style" not in html and " style=" not in html, path


def test_embeds_follow_the_configured_origins(tmp_path: Path) -> None:
    assert frame_ancestors("*") == "*"
    assert frame_ancestors("https://a.example, https://b.example") == (
        "https://a.example https://b.example"
    )
    settings = Settings(
        data=GLOSSARY,
        db=tmp_path / "g.sqlite",
        reload_interval=0,
        embed_origins="https://blog.example",
    )
    with TestClient(create_app(settings)) as embed_client:
        headers = embed_client.get("/embed/anything").headers
        assert "frame-ancestors https://blog.example" in headers["content-security-policy"]
        assert "x-frame-options" not in headers
        page = embed_client.get("/terms/relu").headers
        assert "frame-ancestors 'self'" in page["content-security-policy"]


def test_a_body_past_the_limit_is_a_413_problem(client: TestClient) -> None:
    response = client.post(
        "/api/v1/backprop",
        content=b"{" + b" " * MAX_BODY_BYTES + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "64" in response.json()["detail"]


def test_a_streamed_body_past_the_limit_is_stopped(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b" " * 1024

    response = client.post(
        "/api/v1/backprop", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_very_long_url_is_a_414(client: TestClient) -> None:
    api = client.get("/api/v1/search?q=" + "a" * 9000)
    assert api.status_code == 414
    assert api.json()["status"] == 414
    page = client.get("/search?q=" + "a" * 9000)
    assert page.status_code == 414
    assert page.headers["content-type"].startswith("text/html")
