"""Embeds for blog posts: the frames /embed/terms/{id} and /embed/backprop, oEmbed, CORS on the
API, and the 「埋め込む / Embed」 panel.

Pinned here: only /embed/* may be framed by GLOSSARY_EMBED_ORIGINS (everything else by the site
alone); the frames are noindex, canonical to their full page, load nothing from elsewhere and
use no inline script or style; /oembed answers type rich for our term and demo URLs (a
blockquote with a link, then a sandboxed lazy iframe whose size respects maxwidth/maxheight),
404 for URLs that are not ours, 501 for other formats and 422 for a bad url or size, escaping
everything it interpolates; GET/HEAD under /api/v1/ carry `Access-Control-Allow-Origin: *`
(preflights too, cached answers too) and never allow credentials; the panel's snippets are the
frame, the script and the oEmbed URL of the page they sit on.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.backprop import article_example
from app.backprop.display import format_number
from app.main import create_app
from app.settings import ROOT, STATIC_DIR, Settings
from app.web import embeds
from tests.conftest import GLOSSARY

BASE = "http://testserver"  # the base_url of the `client` fixture
SANDBOX = {"allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox"}


class Tree(HTMLParser):
    """Every start tag with its attributes (valueless ones as ""), in order, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def fields(self) -> dict[str, str]:
        """The read-only fields' values by id (the embed panel's snippets)."""
        return {
            str(attrs["id"]): str(attrs["value"])
            for tag, attrs in self.tags
            if tag == "input" and "readonly" in attrs
        }

    def all(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(key) == value for key, value in wanted.items())
        ]

    def one(self, tag: str, **wanted: str) -> dict[str, str | None]:
        found = self.all(tag, **wanted)
        assert len(found) == 1, (tag, wanted, found)
        return found[0]


def tree(html: str) -> Tree:
    parsed = Tree()
    parsed.feed(html)
    parsed.close()
    return parsed


@pytest.fixture(scope="module")
def origins_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    settings = Settings(
        data=GLOSSARY,
        db=tmp_path_factory.mktemp("embed") / "g.sqlite",
        base_url="https://glossary.example",
        reload_interval=0,
        embed_origins="https://blog.example, https://hatenablog.example",
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


# ── Headers on each kind of page ───────────────────────────────────────────────────────────

EMBED_PATHS = [
    "/embed/terms/relu",
    "/embed/terms/relu?lang=en",
    "/embed/backprop",
    "/embed/backprop?x=2&lang=en",
    "/embed/backprop?x=abc",  # 422, still a frame
    "/embed/terms/no-such-term",  # 404 in the frames' style
    "/embed/nothing/here",
]
PAGE_PATHS = [
    "/",
    "/terms/relu",
    "/en/terms/relu",
    "/demo/backprop",
    "/en/demo/backprop",
    "/nowhere",
    "/api/v1/terms/relu",
    "/oembed?url=https%3A%2F%2Fglossary.example%2Fterms%2Frelu",
    "/static/embed.js",
]


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_frames_may_be_framed_by_the_configured_origins(
    origins_client: TestClient, path: str
) -> None:
    headers = origins_client.get(path).headers
    policy = headers["content-security-policy"]
    assert "frame-ancestors https://blog.example https://hatenablog.example" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "x-frame-options" not in headers


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_everything_else_may_be_framed_by_the_site_only(
    origins_client: TestClient, path: str
) -> None:
    headers = origins_client.get(path).headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_by_default_anyone_may_frame_the_frames(client: TestClient) -> None:
    for path in ("/embed/terms/relu", "/embed/backprop"):
        assert "frame-ancestors *" in client.get(path).headers["content-security-policy"]


# ── The frames ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_frames_are_noindex_self_contained_and_script_free_inline(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404, 422), path
    html = response.text
    page = tree(html)
    assert page.one("meta", name="robots")["content"] == "noindex"
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            if value and tag in ("script", "link", "img", "iframe"):
                assert not urlsplit(value).netloc or value.startswith(BASE), (path, value)
    scripts = {str(attrs["src"]).split("/")[-1].split(".")[0] for attrs in page.all("script")}
    assert "embed-frame" in scripts
    assert not page.all("header", **{"class": "site-header"})


@pytest.mark.parametrize(
    ("path", "lang", "canonical"),
    [
        ("/embed/terms/backpropagation", "ja", f"{BASE}/terms/backpropagation"),
        ("/embed/terms/backpropagation?lang=en", "en", f"{BASE}/en/terms/backpropagation"),
        ("/embed/terms/backpropagation?lang=fr", "ja", f"{BASE}/terms/backpropagation"),
    ],
)
def test_a_term_card(client: TestClient, path: str, lang: str, canonical: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    page = tree(response.text)
    assert page.one("html")["lang"] == lang
    assert page.one("link", rel="canonical")["href"] == canonical
    text = "".join(page.text)
    assert "誤差伝播" in text and "ごさでんぱ" in text and "Backpropagation" in text
    assert "<ruby>誤差伝播<rp>(</rp><rt>ごさでんぱ</rt>" in response.text
    more = page.one("a", **{"class": "embed-more"})
    assert more["href"] == urlsplit(canonical).path
    assert more["target"] == "_blank" and more["rel"] == "noopener"
    assert ("続きを読む" if lang == "ja" else "Read more") in text


def test_an_unknown_term_is_a_404_in_the_frames_style(client: TestClient) -> None:
    for path, lang in (("/embed/terms/no-such-term", "ja"), ("/embed/x?lang=en", "en")):
        response = client.get(path)
        assert response.status_code == 404
        page = tree(response.text)
        assert page.one("html")["lang"] == lang
        assert page.all("section", **{"class": "embed-card embed-missing"})
        assert not page.all("link", rel="canonical")


def test_a_title_in_a_frames_url_redirects_to_the_id(client: TestClient) -> None:
    response = client.get(f"/embed/terms/{quote('誤差伝播')}?lang=en&frame=a")
    assert response.status_code == 301
    assert response.headers["location"] == "/embed/terms/backpropagation?lang=en&frame=a"


def test_the_demo_frame_is_the_demo_computed_on_the_server(client: TestClient) -> None:
    response = client.get("/embed/backprop?x=2&w1=-1&steps=3&lang=en&frame=f1&utm=z")
    assert response.status_code == 200
    page = tree(response.text)
    assert page.one("html")["lang"] == "en"
    assert page.one("link", rel="canonical")["href"] == f"{BASE}/en/demo/backprop"
    form = page.one("form")
    assert form["action"] == "/embed/backprop" and form["data-api"] == "/api/v1/backprop"
    assert page.one("input", name="lang")["value"] == "en"
    assert page.one("input", name="x")["value"] == "2"
    full = page.one("a", **{"data-full-demo": ""})
    assert full["href"] == "/en/demo/backprop?x=2&w1=-1&steps=3"
    assert full["target"] == "_blank" and full["rel"] == "noopener"
    expected = article_example(x=2, w1=-1, steps=3)["named"]["dL_dw1"]
    assert format_number(expected) in response.text
    scripts = "".join(str(attrs["src"]) for attrs in page.all("script"))
    assert "/static/demo." in scripts and "/static/embed-frame." in scripts
    assert "hidden" not in page.one("section", id="demo-results")


def test_a_bad_value_in_the_demo_frame_is_a_422_with_the_message(client: TestClient) -> None:
    response = client.get("/embed/backprop?x=abc")
    assert response.status_code == 422
    page = tree(response.text)
    assert page.one("input", name="x")["aria-invalid"] == "true"
    assert "hidden" not in page.one("p", id="e-x")


# ── oEmbed ─────────────────────────────────────────────────────────────────────────────────


def oembed(client: TestClient, url: str, **params: object) -> dict[str, object]:
    response = client.get("/oembed", params={"url": url, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, object] = response.json()
    return body


def frame_of(body: dict[str, object]) -> dict[str, str | None]:
    page = tree(str(body["html"]))
    names = [name for name, _ in page.tags]
    assert names == ["blockquote", "a", "iframe"], names
    return page.one("iframe")


@pytest.mark.parametrize(
    ("url", "src", "title", "page"),
    [
        (f"{BASE}/terms/relu", f"{BASE}/embed/terms/relu", "ReLU", f"{BASE}/terms/relu"),
        (
            f"{BASE}/en/terms/relu",
            f"{BASE}/embed/terms/relu?lang=en",
            "ReLU",
            f"{BASE}/en/terms/relu",
        ),
        (
            f"{BASE}/terms/backpropagation",
            f"{BASE}/embed/terms/backpropagation",
            "誤差伝播(Backpropagation)",
            f"{BASE}/terms/backpropagation",
        ),
        (
            f"{BASE}/en/terms/backpropagation#sources",
            f"{BASE}/embed/terms/backpropagation?lang=en",
            "Backpropagation (誤差伝播)",
            f"{BASE}/en/terms/backpropagation",
        ),
        (  # a title in the URL, as the site redirects it
            f"{BASE}/terms/{quote('誤差伝播')}",
            f"{BASE}/embed/terms/backpropagation",
            "誤差伝播(Backpropagation)",
            f"{BASE}/terms/backpropagation",
        ),
        (  # the frame's own URL
            f"{BASE}/embed/terms/relu?lang=en&frame=x",
            f"{BASE}/embed/terms/relu?lang=en",
            "ReLU",
            f"{BASE}/en/terms/relu",
        ),
    ],
)
def test_oembed_for_a_term_page(
    client: TestClient, url: str, src: str, title: str, page: str
) -> None:
    body = oembed(client, url, format="json")
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert body["title"] == title
    english = "/en/" in page
    assert body["provider_name"] == ("Yōgoshū — a bilingual glossary" if english else "用語集")
    assert body["provider_url"] == (f"{BASE}/en/" if english else f"{BASE}/")
    assert isinstance(body["cache_age"], int) and body["cache_age"] > 0
    frame = frame_of(body)
    assert frame["src"] == src
    assert set(str(frame["sandbox"]).split()) == SANDBOX
    assert frame["loading"] == "lazy"
    assert frame["title"] and title in str(frame["title"])
    assert frame["width"] == str(body["width"]) and frame["height"] == str(body["height"])
    assert tree(str(body["html"])).one("a")["href"] == page
    assert tree(str(body["html"])).one("blockquote")["cite"] == page


def test_oembed_for_the_demo_keeps_its_parameters(client: TestClient) -> None:
    url = f"{BASE}/en/demo/backprop?x=2&w1=-1&steps=20&utm_source=blog"
    body = oembed(client, url)
    assert body["title"] == "Backpropagation demo"
    src = urlsplit(str(frame_of(body)["src"]))
    assert src.path == "/embed/backprop"
    assert parse_qs(src.query) == {"x": ["2"], "w1": ["-1"], "steps": ["20"], "lang": ["en"]}
    assert tree(str(body["html"])).one("a")["href"] == f"{BASE}/en/demo/backprop?x=2&w1=-1&steps=20"
    # The frames' own URLs are ours too.
    again = oembed(client, f"{BASE}/embed/backprop?x=2&lang=en")
    assert urlsplit(str(frame_of(again)["src"])).query == "x=2&lang=en"


@pytest.mark.parametrize(
    ("params", "width", "height"),
    [({"maxwidth": 300}, 300, None), ({"maxwidth": 300, "maxheight": 120}, 300, 120)],
)
def test_oembed_sizes_respect_maxwidth_and_maxheight(
    client: TestClient, params: dict[str, int], width: int, height: int | None
) -> None:
    for url in (f"{BASE}/terms/backpropagation", f"{BASE}/demo/backprop"):
        plain = oembed(client, url)
        body = oembed(client, url, **params)
        assert body["width"] == width
        assert isinstance(body["height"], int) and isinstance(plain["height"], int)
        if height is None:
            assert body["height"] >= plain["height"]  # narrower is taller
        else:
            assert body["height"] == height
        frame = frame_of(body)
        assert frame["width"] == str(width) and frame["height"] == str(body["height"])
    roomy = oembed(client, f"{BASE}/terms/relu", maxwidth=5000, maxheight=5000)
    assert roomy["width"] == embeds.TERM_WIDTH


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/terms/relu",
        "http://testserver.evil.example/terms/relu",
        "http://user@testserver/terms/relu",
        "http://testserver:8080/terms/relu",
        f"{BASE}/terms/no-such-term",
        f"{BASE}/",
        f"{BASE}/search?q=relu",
        f"{BASE}/api/v1/terms/relu",
        f"{BASE}/terms/relu/extra",
        f"{BASE}/embed/terms/",
        f"{BASE}/" + "a" * 3000,
    ],
)
def test_oembed_404s_for_urls_that_are_not_ours(client: TestClient, url: str) -> None:
    response = client.get("/oembed", params={"url": url})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.parametrize("fmt", ["xml", "XML", "html", "jsonp"])
def test_oembed_501s_for_other_formats(client: TestClient, fmt: str) -> None:
    response = client.get("/oembed", params={"url": f"{BASE}/terms/relu", "format": fmt})
    assert response.status_code == 501
    assert response.headers["content-type"] == "application/problem+json"
    assert "json" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "query.url"),
        ("url=", "query.url"),
        ("url=%20", "query.url"),
        ("url=relu", "query.url"),
        ("url=ftp%3A%2F%2Ftestserver%2Fterms%2Frelu", "query.url"),
        ("url=javascript%3Aalert(1)", "query.url"),
        ("url=http%3A%2F%2Ftestserver%2Fterms%2Frelu&maxwidth=0", "query.maxwidth"),
        ("url=http%3A%2F%2Ftestserver%2Fterms%2Frelu&maxwidth=-5", "query.maxwidth"),
        ("url=http%3A%2F%2Ftestserver%2Fterms%2Frelu&maxheight=abc", "query.maxheight"),
        ("url=http%3A%2F%2Ftestserver%2Fterms%2Frelu&maxheight=1.5", "query.maxheight"),
    ],
)
def test_oembed_422s_for_a_bad_url_or_size(client: TestClient, query: str, field: str) -> None:
    response = client.get(f"/oembed?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


def test_oembed_html_escapes_what_it_interpolates() -> None:
    hostile = '"><script>alert(1)</script><a href="x'
    html = embeds.oembed_html(
        page_url=f"{BASE}/demo/backprop?x={hostile}",
        src=f"{BASE}/embed/backprop?x={hostile}",
        title=hostile,
        width=300,
        height=200,
    )
    page = tree(html)
    assert [name for name, _ in page.tags] == ["blockquote", "a", "iframe"]
    assert page.one("iframe")["title"] == hostile
    assert page.one("iframe")["src"] == f"{BASE}/embed/backprop?x={hostile}"
    assert "".join(page.text) == hostile


def test_a_hostile_demo_url_stays_inside_its_attributes(client: TestClient) -> None:
    hostile = '"><script>alert(1)</script>'
    body = oembed(client, f"{BASE}/demo/backprop?x={quote(hostile)}&t=1")
    frame = frame_of(body)
    assert parse_qs(urlsplit(str(frame["src"])).query)["x"] == [hostile]
    assert "<script" not in str(body["html"])


def test_oembed_is_discoverable_from_term_and_demo_pages(client: TestClient) -> None:
    for path in ("/terms/relu", "/en/terms/relu", "/demo/backprop?x=2", "/en/demo/backprop"):
        page = tree(client.get(path).text)
        link = page.one("link", rel="alternate", type="application/json+oembed")
        assert link["title"]
        endpoint = urlsplit(str(link["href"]))
        assert f"{endpoint.scheme}://{endpoint.netloc}" == BASE and endpoint.path == "/oembed"
        url = parse_qs(endpoint.query)["url"][0]
        assert url == BASE + path
        response = client.get(f"/oembed?{endpoint.query}")
        assert response.status_code == 200 and response.json()["type"] == "rich"


# ── URL matching and sizes (pure functions) ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("url", "base_url", "expected"),
    [
        ("https://g.example/terms/relu", "https://g.example", ("term", "ja", "relu")),
        ("http://g.example/en/terms/relu?x=1", "https://g.example", ("term", "en", "relu")),
        ("https://G.EXAMPLE:443/terms/relu", "https://g.example", ("term", "ja", "relu")),
        ("https://g.example/terms/relu", "http://127.0.0.1:8000", None),
        ("http://127.0.0.1:8000/terms/relu", "http://127.0.0.1:8000", ("term", "ja", "relu")),
        ("http://127.0.0.1:8001/terms/relu", "http://127.0.0.1:8000", None),
        (
            "https://g.example/glossary/terms/relu",
            "https://g.example/glossary",
            ("term", "ja", "relu"),
        ),
        ("https://g.example/terms/relu", "https://g.example/glossary", None),
        ("https://g.example/demo/backprop?lang=en&x=3", "https://g.example", ("demo", "ja", "x=3")),
        (
            "https://g.example/embed/backprop?lang=en&x=3",
            "https://g.example",
            ("demo", "en", "x=3"),
        ),
        ("https://g.example/embed/terms/relu?lang=en", "https://g.example", ("term", "en", "relu")),
        ("https://g.example:notaport/terms/relu", "https://g.example", None),
        ("https://[::1/terms/relu", "https://g.example", None),
        ("mailto:someone@g.example", "https://g.example", None),
    ],
)
def test_match_url(url: str, base_url: str, expected: tuple[str, str, str] | None) -> None:
    target = embeds.match_url(url, base_url)
    if expected is None:
        assert target is None
        return
    assert target is not None
    kind, lang, detail = expected
    assert (target.kind, target.lang) == (kind, lang)
    assert (target.term_id if kind == "term" else target.query) == detail


def test_clamp_size() -> None:
    assert embeds.clamp_size(560, 240) == (560, 240)
    assert embeds.clamp_size(560, 240, maxwidth=320) == (320, 240)
    assert embeds.clamp_size(560, 240, maxheight=100) == (560, 100)
    assert embeds.clamp_size(560, 240, maxwidth=9999, maxheight=9999) == (560, 240)
    narrow = embeds.frame_size(embeds.EmbedTarget("term", "ja", "x"), text="あ" * 200, maxwidth=320)
    wide = embeds.frame_size(embeds.EmbedTarget("term", "ja", "x"), text="あ" * 200)
    assert narrow[0] == 320 and narrow[1] > wide[1]


# ── CORS on the API ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", ["/api/v1/terms/relu", "/api/v1/search?q=relu", "/oembed"])
def test_a_preflight_is_answered(client: TestClient, path: str) -> None:
    response = client.options(
        path,
        headers={
            "Origin": "https://blog.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept, x-requested-with",
        },
    )
    assert response.status_code == 204
    headers = response.headers
    assert headers["access-control-allow-origin"] == "*"
    assert "GET" in headers["access-control-allow-methods"]
    assert headers["access-control-allow-headers"] == "*"
    assert "access-control-allow-credentials" not in headers
    assert "origin" not in headers.get("vary", "").lower()


def test_simple_gets_are_shared_with_any_origin(client: TestClient) -> None:
    origin = {"Origin": "https://blog.example"}
    for path in ("/api/v1/terms/relu", "/api/v1/terms/nope", "/api/v1/suggest?q=re"):
        for _ in range(2):  # the second answer comes from the response cache
            response = client.get(path, headers=origin)
            assert response.headers["access-control-allow-origin"] == "*", path
            assert "access-control-allow-credentials" not in response.headers
            assert "origin" not in response.headers.get("vary", "").lower()
    etag = client.get("/api/v1/terms/relu").headers["etag"]
    cached = client.get("/api/v1/terms/relu", headers={**origin, "If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.headers["access-control-allow-origin"] == "*"
    head = client.head("/api/v1/terms/relu", headers=origin)
    assert head.headers["access-control-allow-origin"] == "*"


def test_cors_stays_off_pages_and_writes(client: TestClient) -> None:
    origin = {"Origin": "https://blog.example"}
    for path in ("/terms/relu", "/embed/terms/relu", "/static/embed.js", "/api"):
        assert "access-control-allow-origin" not in client.get(path, headers=origin).headers
    post = client.post("/api/v1/backprop", json={}, headers=origin)
    assert "access-control-allow-origin" not in post.headers
    page_preflight = client.options(
        "/terms/relu", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in page_preflight.headers


# ── The panel ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("path", "page_url", "frame", "summary"),
    [
        ("/terms/relu", f"{BASE}/terms/relu", f"{BASE}/embed/terms/relu", "埋め込む"),
        ("/en/terms/relu", f"{BASE}/en/terms/relu", f"{BASE}/embed/terms/relu?lang=en", "Embed"),
        (
            "/demo/backprop?x=2&steps=5",
            f"{BASE}/demo/backprop?x=2&steps=5",
            f"{BASE}/embed/backprop?x=2&steps=5",
            "埋め込む",
        ),
        (
            "/en/demo/backprop",
            f"{BASE}/en/demo/backprop",
            f"{BASE}/embed/backprop?lang=en",
            "Embed",
        ),
    ],
)
def test_the_panel_offers_the_snippets_of_its_page(
    client: TestClient, path: str, page_url: str, frame: str, summary: str
) -> None:
    page = tree(client.get(path).text)
    assert page.one("details", id="embed-panel") is not None
    assert summary in "".join(page.text)
    snippets = page.fields
    assert snippets["embed-link"] == page_url
    code = tree(snippets["embed-iframe"])
    iframe = code.one("iframe")
    assert iframe["src"] == frame
    assert set(str(iframe["sandbox"]).split()) == SANDBOX
    assert iframe["loading"] == "lazy" and iframe["title"]
    assert code.one("script")["src"] == f"{BASE}/static/embed.js"
    script = tree(snippets["embed-script"])
    assert script.one("script")["src"] == f"{BASE}/static/embed.js"
    assert "async" in script.one("script")
    link = script.one("a")
    assert "data-glossary" in link and "/terms/" in str(link["href"])
    assert snippets["embed-oembed"] == f"{BASE}/oembed?" + urlencode(
        {"url": page_url, "format": "json"}
    )
    buttons = page.all("button")
    copy = [attrs for attrs in buttons if attrs.get("data-copy")]
    assert {attrs["data-copy"] for attrs in copy} == set(snippets)
    assert all("hidden" in attrs for attrs in copy)  # shown by embed-panel.js
    assert page.one("p", **{"data-copy-status": ""})["role"] == "status"
    text = "".join(page.text)
    assert "WordPress" in text and ("はてなブログ" in text or "Hatena" in text)


def test_the_panel_loads_only_its_small_script(client: TestClient) -> None:
    scripts = [
        str(attrs.get("src")) for attrs in tree(client.get("/terms/relu").text).all("script")
    ]
    assert any(src.startswith("/static/embed-panel.") for src in scripts)
    assert not any("/static/embed." in src or "embed-frame" in src for src in scripts)


def test_the_scripts_are_small_and_set_text_safely() -> None:
    script = (STATIC_DIR / "embed.js").read_bytes()
    assert len(script) <= 10 * 1024
    for name in ("embed.js", "embed-frame.js", "embed-panel.js"):
        source = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert "innerHTML" not in source and "eval(" not in source, name
        assert "http://" not in source and "https://" not in source.replace(
            "https://GLOSSARY", ""
        ), name


def test_the_docs_document_the_protocol() -> None:
    section = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    for needle in ("yogoshu:resize", "GLOSSARY_EMBED_ORIGINS", "/oembed", "はてなブログ"):
        assert needle in section, needle
    protocol = json.loads(section.split("```json\n", 1)[1].split("\n```", 1)[0])
    assert set(protocol) == {"type", "height", "id"}


def test_the_frames_are_not_in_the_sitemap(client: TestClient) -> None:
    assert "/embed/" not in client.get("/sitemap.xml").text
