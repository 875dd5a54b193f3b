"""What search engines and link previews read, pinned: every page type in both languages has
its lang, an absolute canonical in its own language, hreflang ja/en/x-default, a description,
Open Graph and Twitter tags and JSON-LD (parsed, not grepped); JSON-LD cannot be broken out of;
the sitemap lists every page in both languages with alternates and lastmod; robots.txt names
it; the Atom feeds parse; OG images are 1200×630 PNGs that differ by language; mixed-language
fragments carry their own lang."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.glossary.loader import load_glossary
from app.main import create_app
from app.seo import feed, jsonld, og, sitemap
from app.settings import Settings
from tests.conftest import GLOSSARY, write
from tests.test_loader import HEAD

BASE = "http://testserver"
GLOSSARY_DATA = load_glossary(GLOSSARY)
TERMS = {term.id: term for term in GLOSSARY_DATA.terms}
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "atom": "http://www.w3.org/2005/Atom",
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")

# Every page type, by its Japanese path (the English one is /en + it).
PAGES = [
    "/",
    "/terms/backpropagation",
    "/terms/gradient",
    "/terms/sigmoid",
    "/tags/calculus",
    "/index/ka",
    "/index/az/b",
    "/search",
    "/search?q=勾配",
    "/search?q=zzzzqqqq",
]


def absolute(path: str) -> str:
    return BASE + quote(path, safe="/?=&")


def en(path: str) -> str:
    return "/en/" if path == "/" else f"/en{path}"


def both(paths: list[str]) -> list[tuple[str, str]]:
    return [(lang, path if lang == "ja" else en(path)) for path in paths for lang in ("ja", "en")]


class Head(HTMLParser):
    """<html lang>, <link>s, <meta>s and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, list[str]] = {}
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "link":
            self.links.append(values)
        elif tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def rel(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if link.get("rel") == rel]

    def graph(self) -> list[dict[str, Any]]:
        assert len(self.jsonld) == 1, "one JSON-LD block"
        data = json.loads(self.jsonld[0])
        assert data["@context"] == "https://schema.org"
        nodes: list[dict[str, Any]] = data["@graph"]
        return nodes


def head_of(html: str) -> Head:
    parser = Head()
    parser.feed(html)
    return parser


def node(graph: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [n for n in graph if n["@type"] == kind]
    assert len(found) == 1, f"one {kind} in {[n['@type'] for n in graph]}"
    return found[0]


def demo_exists(client: TestClient) -> bool:
    return client.get("/demo/backprop").status_code == 200


# ── Every page type, both languages ───────────────────────────────────────────────────────


@pytest.mark.parametrize(("lang", "path"), both(PAGES))
def test_every_page_has_its_lang_canonical_alternates_and_preview(
    client: TestClient, lang: str, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    head = head_of(response.text)
    assert head.lang == lang
    split = urlsplit(path)
    query = f"?{split.query}" if split.query else ""
    ja_path = split.path.removeprefix("/en")
    canonical = head.rel("canonical")
    assert [link["href"] for link in canonical] == [absolute(split.path + query)]
    alternates = {x["hreflang"]: x["href"] for x in head.rel("alternate") if "hreflang" in x}
    assert alternates == {
        "ja": absolute(ja_path + query),
        "en": absolute(en(ja_path) + query),
        "x-default": absolute(ja_path + query),
    }
    assert head.one("description").strip()
    assert head.one("og:url") == canonical[0]["href"]
    assert head.one("og:locale") == {"ja": "ja_JP", "en": "en_US"}[lang]
    assert head.one("og:locale:alternate") == {"ja": "en_US", "en": "ja_JP"}[lang]
    assert head.one("og:title") and head.one("og:description") and head.one("og:site_name")
    assert head.one("og:type") in ("website", "article")
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt")
    assert head.one("twitter:card") == "summary_large_image"
    image = head.one("og:image")
    assert image.startswith(BASE + ("/en/og/" if lang == "en" else "/og/"))
    assert client.get(image.removeprefix(BASE)).headers["content-type"] == "image/png"
    graph = head.graph()
    page = graph[0]
    assert page["url"] == canonical[0]["href"] and page["inLanguage"] == lang
    noindex = head.meta.get("robots") == ["noindex"]
    assert noindex == ("q=" in path), "search results only are kept out of the index"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_demo_page_has_the_same_head(client: TestClient, lang: str) -> None:
    if not demo_exists(client):
        pytest.skip("no demo route in this build")
    path = "/demo/backprop" if lang == "ja" else "/en/demo/backprop"
    head = head_of(client.get(path + "?x=2").text)
    assert head.rel("canonical")[0]["href"] == BASE + path  # the parameters are not canonical
    assert head.one("og:image") == BASE + ("/en" if lang == "en" else "") + "/og/_demo.png"
    page = node(head.graph(), "WebPage")
    assert page["name"] and page["description"] and page["about"]["@id"].endswith("#term")
    crumbs = node(head.graph(), "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_error_pages_point_nowhere_and_are_not_indexed(client: TestClient, lang: str) -> None:
    response = client.get("/terms/nothing-here" if lang == "ja" else "/en/terms/nothing-here")
    assert response.status_code == 404
    head = head_of(response.text)
    assert head.lang == lang
    assert head.meta["robots"] == ["noindex"]
    assert not head.rel("canonical") and not [x for x in head.rel("alternate") if "hreflang" in x]
    assert head.jsonld == []


# ── JSON-LD ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_term_page_is_a_webpage_about_a_defined_term(client: TestClient, lang: str) -> None:
    term = TERMS["backpropagation"]
    path = "/terms/backpropagation" if lang == "ja" else "/en/terms/backpropagation"
    head = head_of(client.get(path).text)
    graph = head.graph()
    page = node(graph, "WebPage")
    defined = page["mainEntity"]
    url = BASE + path
    assert defined["@type"] == "DefinedTerm"
    assert defined["name"] == getattr(term.title, lang)
    assert defined["description"] == getattr(term.summary, lang)
    assert defined["termCode"] == "backpropagation" and defined["url"] == url
    other = term.title.en if lang == "ja" else term.title.ja
    names = defined["alternateName"]
    assert other in names and "誤差逆伝播法" in names and "backprop" in names
    assert "バックプロパゲーション" in names  # a synonym's label
    assert len(names) == len(set(names)) and defined["name"] not in names
    term_set = defined["inDefinedTermSet"]
    assert term_set["@type"] == "DefinedTermSet"
    assert term_set["url"] == BASE + ("/" if lang == "ja" else "/en/")
    assert page["dateModified"] == term.updated.isoformat()
    assert page["breadcrumb"]["@id"] == f"{url}#breadcrumb"
    crumbs = node(graph, "BreadcrumbList")
    items = crumbs["itemListElement"]
    assert crumbs["@id"] == f"{url}#breadcrumb"
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert items[0]["item"] == term_set["url"] and items[-1]["item"] == url
    assert items[1]["item"] == BASE + ("" if lang == "ja" else "/en") + "/tags/machine-learning"
    assert head.one("og:type") == "article"
    assert head.one("article:modified_time") == term.updated.isoformat()
    assert head.one("description") == getattr(term.summary, lang)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_index_is_a_defined_term_set_of_every_term(client: TestClient, lang: str) -> None:
    graph = head_of(client.get("/" if lang == "ja" else "/en/").text).graph()
    term_set = node(graph, "DefinedTermSet")
    node(graph, "WebSite")
    terms = term_set["hasDefinedTerm"]
    assert {t["termCode"] for t in terms} == set(TERMS)
    prefix = BASE + ("" if lang == "ja" else "/en")
    for item in terms:
        assert item["@type"] == "DefinedTerm"
        assert item["url"] == f"{prefix}/terms/{item['termCode']}"
        term = TERMS[item["termCode"]]
        assert item["name"] == getattr(term.title, lang)


def test_list_pages_are_collections_with_breadcrumbs(client: TestClient) -> None:
    for path in ("/tags/calculus", "/en/index/ka", "/index/az/b"):
        graph = head_of(client.get(path).text).graph()
        page = node(graph, "CollectionPage")
        items = page["mainEntity"]["itemListElement"]
        assert items and page["mainEntity"]["numberOfItems"] == len(items)
        for item in items:
            assert client.get(item["url"].removeprefix(BASE)).status_code == 200
        assert node(graph, "BreadcrumbList")["itemListElement"][-1]["item"] == BASE + path


def test_search_results_are_a_search_results_page(client: TestClient) -> None:
    graph = head_of(client.get("/en/search?q=gradient").text).graph()
    assert node(graph, "SearchResultsPage")["name"]


def test_jsonld_escapes_what_would_end_the_script() -> None:
    text = jsonld.dumps({"a": "</script><script>alert(1)</script>", "b": "<!-- & -->\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!-- & -->\u2028"}


HOSTILE = "</script><script>alert(1)</script><!-- \u2028 & -->"

HOSTILE_TERM = """\
  - id: hostile
    title: {{ja: "危険</script>", en: "Hostile</script><script>alert(2)</script>"}}
    reading: きけん
    aliases: ["<!--", "</SCRIPT >"]
    tags: [ml]
    summary: {{ja: {summary}, en: {summary}}}
    body: {{ja: "## 見出し\\n\\n本文です。"}}
    updated: 2026-11-20
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp_path = tmp_path_factory.mktemp("hostile")
    text = HEAD + HOSTILE_TERM.format(summary=json.dumps(HOSTILE))
    data = write(tmp_path, text)
    settings = Settings(data=data, db=tmp_path / "g.sqlite", base_url="https://example.org")
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/terms/hostile", "/en/terms/hostile", "/", "/en/"])
def test_jsonld_from_hostile_data_stays_inside_its_script(
    hostile_client: TestClient, path: str
) -> None:
    html = hostile_client.get(path).text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S | re.I)
    ld = [s for s in scripts if s.startswith("{")]
    assert len(ld) == 1 and "<" not in ld[0] and "&" not in ld[0]
    graph = json.loads(ld[0])["@graph"]
    if "terms" in path:
        defined = graph[0]["mainEntity"]
        assert defined["description"] == HOSTILE
        assert "<!--" in defined["alternateName"] and "</SCRIPT >" in defined["alternateName"]
    assert "<script>alert" not in html and "</script><script>" not in html


def test_a_missing_english_article_is_said_on_the_english_page(
    hostile_client: TestClient,
) -> None:
    html = hostile_client.get("/en/terms/hostile").text
    assert "has not been translated into English yet" in html
    assert '<div class="prose" lang="ja">' in html
    assert "has not been translated" not in hostile_client.get("/terms/hostile").text


def test_canonical_links_use_the_configured_base_url(hostile_client: TestClient) -> None:
    head = head_of(hostile_client.get("/en/terms/hostile").text)
    assert head.rel("canonical")[0]["href"] == "https://example.org/en/terms/hostile"
    assert head.one("og:image") == "https://example.org/en/og/hostile.png"
    robots = hostile_client.get("/robots.txt").text
    assert "Sitemap: https://example.org/sitemap.xml" in robots


# ── Sitemap, robots, feed ──────────────────────────────────────────────────────────────────


def test_the_sitemap_lists_every_page_in_both_languages(client: TestClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc and loc.startswith(BASE + "/") and loc not in entries
        links = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
        assert set(links) == {"ja", "en", "x-default"} and loc in links.values()
        assert links["x-default"] == links["ja"]
        entries[loc] = (url.findtext("sm:lastmod", namespaces=NS), links)
    for term in TERMS.values():
        for prefix in ("", "/en"):
            lastmod, _ = entries[f"{BASE}{prefix}/terms/{term.id}"]
            assert lastmod == term.updated.isoformat()
    term_locs = [loc for loc in entries if "/terms/" in loc]
    assert len(term_locs) == 2 * len(TERMS)
    for path in ("/", "/en/", "/tags/calculus", "/en/index/ka", "/index/az/b"):
        assert BASE + path in entries
    assert (BASE + "/demo/backprop" in entries) == demo_exists(client)
    assert not [loc for loc in entries if "/search" in loc or "/api/" in loc]


def test_every_sitemap_url_is_an_indexable_page_whose_canonical_is_itself(
    client: TestClient,
) -> None:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    for loc in root.iterfind("sm:url/sm:loc", NS):
        url = str(loc.text)
        response = client.get(url.removeprefix(BASE))
        assert response.status_code == 200, url
        head = head_of(response.text)
        assert head.rel("canonical")[0]["href"] == url
        assert "robots" not in head.meta


def test_a_large_site_gets_a_sitemap_index() -> None:
    pages = [
        sitemap.Page.of(f"/terms/t{n}", f"/en/terms/t{n}", dt.date(2026, 1, 1 + n))
        for n in range(5)
    ]
    assert sitemap.needs_index(pages, max_urls=4)
    index = ET.fromstring(
        sitemap.sitemap_index(pages, base_url=BASE, path="/sitemap-{n}.xml", max_urls=4)
    )
    locs = [e.text for e in index.iterfind("sm:sitemap/sm:loc", NS)]
    assert locs == [f"{BASE}/sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [sitemap.chunk(pages, n, max_urls=4) for n in (1, 2, 3, 4)]
    assert [len(p) for p in parts] == [2, 2, 1, 0]
    urls = ET.fromstring(sitemap.urlset(parts[2], base_url=BASE)).findall("sm:url", NS)
    assert [u.findtext("sm:lastmod", namespaces=NS) for u in urls] == ["2026-01-05"] * 2


def test_robots_names_the_sitemap_and_keeps_out_of_the_api(client: TestClient) -> None:
    response = client.get("/robots.txt")
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /api/" in lines and "User-agent: *" in lines


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_atom_feed_lists_recently_updated_terms(client: TestClient, lang: str) -> None:
    path = "/feed.xml" if lang == "ja" else "/en/feed.xml"
    response = client.get(path)
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['atom']}}}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    for field in ("id", "title", "updated", "author/atom:name"):
        assert root.findtext(f"atom:{field}", namespaces=NS)
    self_link = [x for x in root.findall("atom:link", NS) if x.get("rel") == "self"]
    assert self_link[0].get("href") == BASE + path
    entries = root.findall("atom:entry", NS)
    assert 0 < len(entries) <= feed.FEED_SIZE
    stamps = [e.findtext("atom:updated", namespaces=NS) or "" for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert root.findtext("atom:updated", namespaces=NS) == stamps[0]
    newest = max(t.updated for t in TERMS.values())
    assert stamps[0] == f"{newest.isoformat()}T00:00:00Z"
    for entry in entries:
        link = entry.find("atom:link", NS)
        assert link is not None and link.get("rel") == "alternate"
        href = str(link.get("href"))
        assert entry.findtext("atom:id", namespaces=NS) == href
        term = TERMS[href.rsplit("/", 1)[1]]
        assert entry.findtext("atom:title", namespaces=NS) == getattr(term.title, lang)
        assert entry.findtext("atom:summary", namespaces=NS) == getattr(term.summary, lang)
        assert href.startswith(BASE + ("/en/terms/" if lang == "en" else "/terms/"))
    head = head_of(client.get("/" if lang == "ja" else "/en/").text)
    feeds = [x for x in head.rel("alternate") if x.get("type") == "application/atom+xml"]
    assert [x["href"] for x in feeds] == [path]


# ── Images ─────────────────────────────────────────────────────────────────────────────────


def png(client: TestClient, path: str) -> tuple[bytes, Image.Image]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"] == "image/png"
    assert "max-age=" in response.headers["cache-control"]
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return response.content, image


@pytest.mark.parametrize("name", ["backpropagation", "gradient", "_site", "_demo", "tags/calculus"])
def test_og_images_are_1200_by_630_pngs_that_differ_by_language(
    client: TestClient, name: str
) -> None:
    ja, ja_image = png(client, f"/og/{name}.png")
    en_bytes, en_image = png(client, f"/en/og/{name}.png")
    for image in (ja_image, en_image):
        assert image.format == "PNG" and image.size == (1200, 630)
        assert len(image.getcolors(1_000_000) or []) > 10, "something is drawn"
    assert ja != en_bytes


def test_og_images_of_unknown_things_are_404(client: TestClient) -> None:
    for path in ("/og/nothing.png", "/en/og/nothing.png", "/og/tags/nothing.png"):
        assert client.get(path).status_code == 404


def test_og_images_are_drawn_once_per_card() -> None:
    first = og.card_png(og.Card(lang="ja", site_name="用語集", title="勾配", kicker="こうばい"))
    again = og.card_png(og.Card(lang="ja", site_name="用語集", title="勾配", kicker="こうばい"))
    assert first is again


def test_without_a_japanese_font_the_images_are_plain_not_errors(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(og, "FONT_CANDIDATES", ())
    monkeypatch.setattr(og, "FONT_DIRS", (Path("/nonexistent"),))
    og.find_fonts.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger="glossary"):
            assert og.find_fonts() is None
        assert "fonts-noto-cjk" in caplog.text
        card = og.Card(lang="ja", site_name="用語集", title="誤差伝播", subtitle="Backpropagation")
        image = og.draw_card(card, None)
        assert image.size == (1200, 630)
    finally:
        og.find_fonts.cache_clear()


def test_another_installed_japanese_font_is_found_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = og.find_fonts()
    if installed is None:
        pytest.skip("no Japanese font installed (Debian: fonts-noto-cjk)")
    monkeypatch.setattr(og, "FONT_CANDIDATES", ())
    monkeypatch.setattr(og, "FONT_DIRS", (Path(installed.regular.path).parent,))
    og.find_fonts.cache_clear()
    try:
        found = og.find_fonts()
        assert (
            found is not None
            and Path(found.regular.path).parent == Path(installed.regular.path).parent
        )
    finally:
        og.find_fonts.cache_clear()


def test_the_japanese_font_is_found() -> None:
    fonts = og.find_fonts()
    if fonts is None:
        pytest.skip("no Japanese font installed (Debian: fonts-noto-cjk)")
    assert Path(fonts.regular.path).is_file() and Path(fonts.bold.path).is_file()


def test_the_favicon_and_touch_icon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    _, touch = png(client, "/apple-touch-icon.png")
    assert touch.size == (180, 180)
    head = head_of(client.get("/").text)
    assert {x["href"] for x in head.rel("icon")} >= {"/favicon.ico"}
    assert [x["href"] for x in head.rel("apple-touch-icon")] == ["/apple-touch-icon.png"]


# ── Languages inside pages ─────────────────────────────────────────────────────────────────


class Texts(HTMLParser):
    """Each text node of <body> with the lang it inherits (script and style skipped)."""

    VOID = frozenset(("br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"))

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, str(lang)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.in_body or not data.strip() or not self.stack:
            return
        if self.stack[-1][0] in ("script", "style"):
            return
        self.texts.append((self.stack[-1][1], data.strip()))


EN_PAGES = [
    "/en/",
    "/en/terms/backpropagation",
    "/en/terms/gradient",
    "/en/terms/error-propagation",
    "/en/tags/calculus",
    "/en/index/ka",
    "/en/index/az/b",
    "/en/search?q=勾配",
    "/en/search?q=gradient",
]


@pytest.mark.parametrize("path", EN_PAGES)
def test_japanese_text_on_english_pages_is_marked_ja(client: TestClient, path: str) -> None:
    parser = Texts()
    parser.feed(client.get(path).text)
    wrong = [text for lang, text in parser.texts if JAPANESE.search(text) and lang != "ja"]
    assert wrong == []


@pytest.mark.parametrize("path", ["/terms/backpropagation", "/terms/gradient", "/"])
def test_english_names_on_japanese_pages_are_marked_en(client: TestClient, path: str) -> None:
    parser = Texts()
    parser.feed(client.get(path).text)
    names = {t.title.en for t in TERMS.values()}
    wrong = [text for lang, text in parser.texts if text in names and lang != "en"]
    assert wrong == []


def test_aliases_carry_the_lang_of_their_script(client: TestClient) -> None:
    ja = client.get("/terms/backpropagation").text
    en_page = client.get("/en/terms/backpropagation").text
    assert '<span class="alias" lang="en">backprop</span>' in ja
    assert '<span class="alias">誤差逆伝播法</span>' in ja
    assert '<span class="alias" lang="ja">誤差逆伝播法</span>' in en_page
    assert '<span class="alias">backprop</span>' in en_page


def test_dates_are_written_the_way_each_language_writes_them(client: TestClient) -> None:
    updated = TERMS["backpropagation"].updated
    ja = client.get("/terms/backpropagation").text
    en_page = client.get("/en/terms/backpropagation").text
    assert f">{updated.year}年{updated.month}月{updated.day}日</time>" in ja
    assert f">{updated.day} {updated.strftime('%B')} {updated.year}</time>" in en_page


# ── The 五十音 and A–Z pages ─────────────────────────────────────────────────────────────────


def test_index_pages_are_reached_by_plain_links_and_list_their_terms(client: TestClient) -> None:
    for prefix in ("", "/en"):
        home = client.get(prefix + "/").text
        for path in (f"{prefix}/index/ka", f"{prefix}/index/az/b"):
            assert f'href="{path}"' in home
        row = client.get(f"{prefix}/index/ka").text
        assert f'href="{prefix}/terms/gradient"' in row  # こうばい
        assert f'href="{prefix}/terms/backpropagation"' in row  # ごさでんぱ
        assert 'aria-current="page"' in row
        letter = client.get(f"{prefix}/index/az/b").text
        assert f'href="{prefix}/terms/backpropagation"' in letter
        assert f'href="{prefix}/terms/gradient"' not in letter
    assert client.get("/index/xx").status_code == 404
    assert client.get("/en/index/az/1").status_code == 404


def test_every_term_is_on_exactly_one_row_page_and_one_letter_page(client: TestClient) -> None:
    home = client.get("/").text
    rows = sorted(set(re.findall(r'href="(/index/[a-z]+)"', home)))
    letters = sorted(set(re.findall(r'href="(/index/az/[a-z]+)"', home)))
    for pages in (rows, letters):
        found: list[str] = []
        for page in pages:
            found += re.findall(r'href="/terms/([a-z0-9-]+)"', client.get(page).text)
        assert sorted(found) == sorted(TERMS)


def test_crawlers_may_ask_head_first(client: TestClient) -> None:
    for path in ("/terms/relu", "/en/index/ka", "/sitemap.xml", "/robots.txt", "/en/og/relu.png"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""


def test_any_text_makes_a_card() -> None:
    cards = [
        og.Card(
            lang="ja", site_name="用語集", title="長" * 500, kicker="よ" * 300, subtitle="x" * 400
        ),
        og.Card(lang="en", site_name=" ", title="   ", subtitle=" \n ", subtitle_note="よみ"),
        og.Card(lang="en", site_name="S", title="Word " * 200, note="、。ー" * 50, diagram=True),
    ]
    for card in cards:
        image = Image.open(io.BytesIO(og.card_png(card)))
        assert image.size == (1200, 630)
