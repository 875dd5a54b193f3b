"""The pages, frames, feeds and images fuzzed the way tests/test_fuzz_api.py fuzzes the API: they
are not in /openapi.json, so schemathesis never sees them. Every GET route outside /api/ (taken
from the app's own routes, so a new page is fuzzed as soon as it exists) gets arbitrary query
strings: text from the whole of Unicode, digits that str.isdigit() accepts and int() refuses (²,
①), numbers past int()'s 4,300 digits, empty values, keys without values, repeated keys, and
percent-encodings that decode to nothing valid. No answer may be a 5xx (but oEmbed's 501 for a
format it does not serve), and every answer carries the security headers. The path parameters
get the same treatment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, quote_plus

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount

from app import urls
from app.main import app as site
from app.web.demo_view import FIELDS

EXAMPLES_PER_ROUTE = 30
BASE = "http://testserver"  # the base URL of the shared client's app (tests/conftest.py)

# A real value for each path parameter, so the handler behind it runs (see the last test).
SAMPLES = {
    "term_id": "relu",
    "tag_id": "deep-learning",
    "row": "ka",
    "letter": "b",
    "number": "1",
    "rest": "nothing-here",
}
# The pages the site must have; the routes found must include them all.
EXPECTED = {
    "/",
    "/en/",
    "/terms/{term_id}",
    "/en/terms/{term_id}",
    "/tags/{tag_id}",
    "/en/tags/{tag_id}",
    "/index/{row}",
    "/en/index/{row}",
    "/index/az/{letter}",
    "/en/index/az/{letter}",
    "/search",
    "/en/search",
    "/demo/backprop",
    "/en/demo/backprop",
    "/embed/terms/{term_id}",
    "/embed/backprop",
    "/embed/{rest:path}",
    "/feed.xml",
    "/en/feed.xml",
    "/sitemap.xml",
    "/robots.txt",
    "/og/{term_id}.png",
    "/en/og/{term_id}.png",
    "/og/_demo.png",
    "/oembed",
}


def page_routes() -> list[str]:
    """Every path a GET route serves outside the JSON API (which schemathesis fuzzes)."""
    found = []
    for context in iter_route_contexts(site.routes):
        path = context.path
        if isinstance(context.original_route, Mount) or path is None:
            continue
        if "GET" in (context.methods or ()) and not urls.is_api(path) and path not in found:
            found.append(path)
    return found


ROUTES = page_routes()
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def fill(route: str, value: str | None = None) -> str:
    """The route with its parameters filled: with SAMPLES, or all with one (encoded) value."""
    return PARAM.sub(lambda m: SAMPLES[m[1]] if value is None else value, route)


# ── Query strings ──────────────────────────────────────────────────────────────────────────

KEYS = [*FIELDS, "q", "lang", "frame", "url", "format", "maxwidth", "maxheight", "page", "id"]
ODD_NUMBERS = ["²", "①", "١٢", "٣", "𝟓", "Ⅻ", "½", "0x10", "1_000", "+1", "-0", " 7 ", "1e999"]
ODD_NUMBERS += ["nan", "-inf", "٫5", "0" * 5000 + "3", "9" * 4301]
# Percent-encodings that decode to nothing valid: bad hex, cut or overlong UTF-8, a surrogate,
# a code point past U+10FFFF, NUL, a lone %.
ODD_ENCODINGS = ["%ZZ", "%", "%E3%81", "%FF%FE", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%00"]
ODD_ENCODINGS += ["%2", "%%", "%u00B2", "%25%32", "%0A%0D", "+", "=", "&", ";", "=="]

odd_numbers = st.sampled_from(ODD_NUMBERS)
huge_numbers = st.integers(4290, 4400).map(lambda n: "9" * n)  # past int()'s 4,300 digits
values = st.one_of(
    st.text(max_size=40),  # any code point but surrogates, which UTF-8 cannot carry
    odd_numbers,
    huge_numbers,
    st.integers().map(str),
    st.floats().map(repr),
    st.just(""),
)
# Mostly the names the site reads, so the values reach the code that parses them.
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(FIELDS), st.text(max_size=10))
pairs = st.one_of(
    st.tuples(keys, values).map(lambda kv: f"{quote(kv[0], safe='')}={quote(kv[1], safe='')}"),
    st.tuples(keys, values).map(lambda kv: f"{quote_plus(kv[0])}={quote_plus(kv[1])}"),
    st.tuples(st.sampled_from(FIELDS), odd_numbers).map(lambda kv: f"{kv[0]}={quote(kv[1])}"),
    keys.map(lambda key: quote(key, safe="")),  # a key without "="
    st.tuples(st.sampled_from(KEYS), st.sampled_from(ODD_ENCODINGS)).map("=".join),
    st.sampled_from(ODD_ENCODINGS),
)
queries = st.lists(pairs, max_size=5).flatmap(
    lambda items: st.sampled_from(["&", "&&", ";"]).map(lambda sep: sep.join(items))
)
# The pages oEmbed accepts in its url= (which it gives a fuzzed query of its own).
EMBEDDABLE = [r for r in ROUTES if r.startswith(("/terms/", "/en/terms/", "/embed/"))]
EMBEDDABLE += [r for r in ROUTES if r.endswith("/demo/backprop")]
# Queries that once answered 500, tried on every route before the random examples: digits
# that int() refuses, in the demo's fields and in an oEmbed url=.
FOUND = [
    ("steps=%C2%B2", "/demo/backprop"),
    ("steps=%E2%91%A0&x=1&lang=en", "/en/demo/backprop"),
    ("steps=" + "9" * 4400, "/embed/backprop"),
    ("x=1&steps=" + "0" * 4400 + "2&steps=%C2%B2", "/demo/backprop"),
]


def assert_secured(path: str, status: int, headers: Mapping[str, str]) -> None:
    # oEmbed answers a format it does not serve with 501, as its specification asks.
    assert status < 500 or (path == urls.OEMBED and status == 501), (path, status)
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy, path
    assert headers["x-content-type-options"] == "nosniff", path
    if urls.is_frame(path):
        assert "x-frame-options" not in headers, path
    else:
        assert headers["x-frame-options"] == "SAMEORIGIN", path
        assert "frame-ancestors 'self'" in policy, path


FUZZ = settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(query=queries, inner=queries, page=st.sampled_from(EMBEDDABLE))
@example(query=FOUND[0][0], inner=FOUND[0][0], page=FOUND[0][1])
@example(query=FOUND[1][0], inner=FOUND[1][0], page=FOUND[1][1])
@example(query=FOUND[2][0], inner=FOUND[2][0], page=FOUND[2][1])
@example(query=FOUND[3][0], inner=FOUND[3][0], page=FOUND[3][1])
def test_no_query_string_makes_a_500(
    client: TestClient, route: str, query: str, inner: str, page: str
) -> None:
    if route == urls.OEMBED:  # url= one of our pages, with a query of its own
        query = f"url={quote(BASE + fill(page) + '?' + inner, safe='')}&{query}"
    path = fill(route)
    response = client.get(f"{path}?{query}")
    assert_secured(path, response.status_code, response.headers)


@pytest.mark.parametrize("route", [route for route in ROUTES if PARAM.search(route)])
@FUZZ
@given(value=st.one_of(values.map(lambda v: quote(v, safe="")), st.sampled_from(ODD_ENCODINGS)))
def test_no_path_parameter_makes_a_500(client: TestClient, route: str, value: str) -> None:
    path = fill(route, value or "x")
    response = client.get(path)
    assert_secured(path, response.status_code, response.headers)


def test_every_page_is_fuzzed_and_its_samples_are_real() -> None:
    """The routes found include every page the site has, and each sample is a real page, so the
    fuzzing reaches the handler and not only a 404."""
    assert EXPECTED <= set(ROUTES), EXPECTED - set(ROUTES)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r not in (urls.OEMBED, "/embed/{rest:path}")]
)
def test_the_samples_are_real_pages(client: TestClient, route: str) -> None:
    response = client.get(fill(route))
    assert response.status_code == 200, route
