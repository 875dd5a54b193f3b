"""No request makes a 500, and every response carries the security headers: digits that
str.isdigit() accepts and int() refuses ("²", "①") or that are too many for int() (over 4,300),
a Content-Length of thousands of zeros, an unexpected error in a route (answered through the
error path, headers and all), a trailing slash under a spoofed Host (redirected to a relative
Location), OPTIONS (204 with every method of the path), and an OpenAPI description that says
what the routes do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.web import embeds
from tests.test_paths import header, raw_request

BASE = "http://testserver"
HUGE = "9" * 4400  # int() refuses strings of more than 4,300 digits
ODD_DIGITS = ["²", "①", "١", "٣", "𝟓", HUGE, "0" * 4400 + "2"]


def assert_secured(headers: Mapping[str, str], *, frame: bool = False) -> None:
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    if frame:
        assert "x-frame-options" not in headers
    else:
        assert headers["x-frame-options"] == "SAMEORIGIN"


# ── Digits: str.isdigit() is no test for int() ─────────────────────────────────────────────


def digit_urls() -> Iterator[str]:
    for digits in ODD_DIGITS:
        value = quote(digits)
        for path in ("/demo/backprop", "/en/demo/backprop", "/embed/backprop"):
            yield f"{path}?steps={value}"
            yield f"{path}?x=1&steps={value}&lang=en"
        page = quote(f"{BASE}/demo/backprop?steps={digits}", safe="")
        yield f"/oembed?url={page}"
        yield f"/oembed?url={quote(f'{BASE}/embed/backprop?steps={digits}', safe='')}"
        yield f"/api/v1/backprop?steps={value}"
        yield f"/api/v1/terms?limit={value}"


@pytest.mark.parametrize("url", list(digit_urls()), ids=lambda u: u[:60])
def test_odd_digits_are_refused_or_ignored_never_a_500(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, url
    assert_secured(response.headers, frame=url.startswith("/embed/"))


def test_a_refused_steps_gives_a_frame_without_the_curve() -> None:
    plain = embeds.frame_size(embeds.EmbedTarget("demo", "ja", query="steps=1"))
    curve = embeds.frame_size(embeds.EmbedTarget("demo", "ja", query="steps=3"))
    assert curve[1] > plain[1]
    for digits in ODD_DIGITS[:-1]:
        target = embeds.EmbedTarget("demo", "ja", query=f"steps={quote(digits)}")
        assert embeds.frame_size(target) == plain, digits
    # Leading zeros are a number the demo accepts: 0…02 is 2 steps, with its curve.
    padded = embeds.EmbedTarget("demo", "ja", query="steps=" + "0" * 4400 + "2")
    assert embeds.frame_size(padded) == curve


# ── Content-Length: thousands of zeros, straight to uvicorn ────────────────────────────────


@pytest.mark.parametrize(
    ("method", "target", "length", "statuses"),
    [
        (b"GET", b"/", b"0" * 4301, {200}),
        (b"GET", b"/terms/relu", b"0" * 10000, {200}),
        (b"POST", b"/api/v1/backprop", b"0" * 4301, {400, 422}),
        (b"POST", b"/api/v1/backprop", b"0" * 4000 + b"65537", {413}),
    ],
    ids=["zeros-page", "more-zeros", "zeros-api", "padded-limit"],
)
def test_a_long_content_length_is_no_500(
    live_server: str, method: bytes, target: bytes, length: bytes, statuses: set[int]
) -> None:
    status, head, _ = raw_request(
        live_server,
        target,
        method=method,
        headers=[b"Host: testserver", b"Content-Length: " + length],
    )
    assert status in statuses, (target, status)
    assert header(head, b"content-security-policy"), target
    assert header(head, b"x-content-type-options") == b"nosniff", target


# ── An unexpected error: the error path, with the security headers ──────────────────────


def boom() -> None:
    raise RuntimeError("boom: an error no handler expects")


def late_boom() -> StreamingResponse:
    def chunks() -> Iterator[bytes]:
        yield b"<!doctype html><p>a start"
        raise RuntimeError("boom after the response began")

    return StreamingResponse(chunks(), media_type="text/html")


@pytest.fixture(scope="module")
def failing_app(settings: Settings) -> FastAPI:
    """The real app, with test-only routes that raise (a frame's first, before /embed/{rest})."""
    app = create_app(settings)
    for path in ("/boom", "/en/boom", "/api/v1/boom", "/oembed-boom", "/embed/boom", "/late"):
        app.add_api_route(path, late_boom if path == "/late" else boom, methods=["GET", "HEAD"])
    frame = app.router.routes.pop(-2)
    app.router.routes.insert(0, frame)
    return app


@pytest.fixture(scope="module")
def failing(failing_app: FastAPI) -> Iterator[TestClient]:
    # raise_server_exceptions stays on: an error that reached the server would fail the test.
    with TestClient(failing_app, follow_redirects=False) as client:
        yield client


def test_an_unexpected_error_on_the_api_is_a_problem_with_the_headers(
    failing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="glossary"):
        response = failing.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "an unexpected error occurred",
        "errors": [],
    }
    assert "no handler expects" not in response.text
    assert_secured(response.headers)
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "boom" in str(logged[0].exc_info[1])  # type: ignore[index]


@pytest.mark.parametrize(("path", "lang"), [("/boom", "ja"), ("/en/boom", "en")])
def test_an_unexpected_error_on_a_page_is_the_error_page_with_the_headers(
    failing: TestClient, path: str, lang: str
) -> None:
    response = failing.get(path)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}"' in response.text
    assert "500" in response.text and "no handler expects" not in response.text
    assert_secured(response.headers)
    head = failing.head(path)
    assert head.status_code == 500
    assert_secured(head.headers)


def test_an_unexpected_error_in_a_frame_keeps_the_frames_policy(failing: TestClient) -> None:
    response = failing.get("/embed/boom")
    assert response.status_code == 500
    assert_secured(response.headers, frame=True)
    assert "frame-ancestors *" in response.headers["content-security-policy"]


def test_an_error_after_the_response_began_still_reaches_the_server(failing: TestClient) -> None:
    """Too late to answer: the server must see it and drop the connection."""
    with pytest.raises(RuntimeError, match="after the response began"):
        failing.get("/late")


# ── Redirects never take their host from the request ───────────────────────────────────


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/terms/relu/", "/terms/relu"),
        ("/terms/relu//", "/terms/relu"),
        ("/en/terms/relu/?a=1&b=%C2%B2", "/en/terms/relu?a=1&b=%C2%B2"),
        ("/tags/deep-learning/", "/tags/deep-learning"),
        ("/demo/backprop/?steps=3", "/demo/backprop?steps=3"),
        ("/api/v1/terms/relu/", "/api/v1/terms/relu"),
        ("/en", "/en/"),
        ("/en?x=1", "/en/?x=1"),
        (f"/terms/{quote('誤差伝播')}/", f"/terms/{quote('誤差伝播')}"),
    ],
)
def test_a_trailing_slash_redirects_to_a_relative_location(
    client: TestClient, path: str, location: str
) -> None:
    for host in ("testserver", "evil.example", "evil.example:8443"):
        response = client.get(path, headers={"host": host})
        assert response.status_code == 307, (path, host)
        assert response.headers["location"] == location, (path, host)
        assert_secured(response.headers)


def test_the_homes_stay_where_they_are(client: TestClient) -> None:
    for path in ("/", "/en/"):
        response = client.get(path, headers={"host": "evil.example"})
        assert response.status_code == 200, path
        assert "evil.example" not in response.text


def test_a_slash_redirect_keeps_the_method(client: TestClient) -> None:
    response = client.post("/api/v1/backprop/", json={}, headers={"host": "evil.example"})
    assert (response.status_code, response.headers["location"]) == (307, "/api/v1/backprop")


@pytest.mark.parametrize(
    "target", [b"//evil.example/", b"//evil.example", b"/\\evil.example/", b"/%2Fevil.example/"]
)
def test_no_redirect_leads_off_the_site(live_server: str, target: bytes) -> None:
    status, head, _ = raw_request(live_server, target, headers=[b"Host: evil.example"])
    location = header(head, b"location")
    assert not location.startswith((b"//", b"/\\")) and b"evil.example" not in location, target
    assert status == 404, target


def test_every_redirect_is_relative_under_a_spoofed_host(client: TestClient) -> None:
    for path in (
        f"/terms/{quote('誤差伝播')}",  # a title: 301 to the id
        f"/en/terms/{quote('誤差逆伝播法')}",
        f"/embed/terms/{quote('誤差伝播')}?lang=en",
        "/terms/relu/",
    ):
        response = client.get(path, headers={"host": "evil.example"})
        assert response.status_code in (301, 307), path
        assert response.headers["location"].startswith("/"), path
        assert not response.headers["location"].startswith("//"), path


@pytest.mark.parametrize(
    "target", [b"/terms/relu/", b"http://evil.example/terms/relu/", b"/en/terms/relu/?q=1"]
)
def test_the_real_server_redirects_relatively_too(live_server: str, target: bytes) -> None:
    status, head, _ = raw_request(live_server, target, headers=[b"Host: evil.example"])
    assert status == 307
    location = header(head, b"location")
    assert location.startswith(b"/") and not location.startswith(b"//")
    assert b"evil" not in location
    assert header(head, b"content-security-policy")


# ── OPTIONS, 405 and the OpenAPI description ────────────────────────────────────────────


def allow(headers: Mapping[str, str]) -> set[str]:
    return {method.strip() for method in headers["allow"].split(",")}


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/backprop", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("/api/v1/terms/relu", {"GET", "HEAD", "OPTIONS"}),
        ("/oembed", {"GET", "HEAD", "OPTIONS"}),
        ("/terms/relu", {"GET", "HEAD", "OPTIONS"}),
        ("/en/", {"GET", "HEAD", "OPTIONS"}),
        ("/embed/backprop", {"GET", "HEAD", "OPTIONS"}),
        ("/openapi.json", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_options_names_every_method_of_the_path(
    client: TestClient, path: str, methods: set[str]
) -> None:
    response = client.options(path)
    assert response.status_code == 204, path
    assert allow(response.headers) == methods, path
    assert response.content == b""
    assert_secured(response.headers, frame=path.startswith("/embed/"))


def test_a_405_names_every_method_too(client: TestClient) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.request(method, "/api/v1/backprop")
        assert response.status_code == 405
        assert allow(response.headers) == {"GET", "HEAD", "POST", "OPTIONS"}
        assert response.headers["content-type"] == "application/problem+json"
    response = client.post("/terms/relu")
    assert (response.status_code, allow(response.headers)) == (405, {"GET", "HEAD", "OPTIONS"})


def test_cors_preflights_are_still_answered_by_cors(client: TestClient) -> None:
    response = client.options(
        "/api/v1/backprop",
        headers={"origin": "https://blog.example", "access-control-request-method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]


def test_options_agrees_with_the_openapi_description(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        concrete = path.replace("{term_id}", "relu")
        documented = {method.upper() for method in operations}
        response = client.options(concrete)
        assert response.status_code == 204, path
        assert documented <= allow(response.headers), path


def test_oembed_declares_url_as_required(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/oembed"]["get"]
    url = next(p for p in operation["parameters"] if p["name"] == "url")
    assert url["required"] is True
    response = client.get("/oembed")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.url"]
