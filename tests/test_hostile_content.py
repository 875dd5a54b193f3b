"""Hostile content: XSS payloads in every string field of a term, its relations, senses,
sources and tags, and in the site's title and description, are shown as text on every page
and in every format that carries them — never as markup.

Each page is parsed with html.parser: no <script> but the site's own (src under /static/, or
the JSON-LD data block), no on* attribute, no javascript:/vbscript:/data: URL, none of the
elements the payloads try to introduce (img, svg, iframe, style, base, …), and the payload is
in the page's text exactly as written. The JSON-LD parses and holds the payload as text;
the sitemap and the feeds are well-formed XML; the OG images are PNGs; the JSON API returns the
strings unchanged.

The loader refuses bodies with raw HTML or javascript: links (tests/test_loader.py); here
that check is switched off for the build, so that the renderer's own defences are tested too.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from fastapi.testclient import TestClient

from app.glossary.build import build_from_yaml
from app.glossary.loader import parse_glossary
from app.glossary.problems import GlossaryError
from app.main import create_app
from app.settings import Settings
from app.text import markdown

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    "</script><script>alert(3)</script>",
    "</title></textarea></style><iframe src=javascript:alert(4)></iframe>",
    "<!-- <base href=//evil.example>",
    "{{ 7*7 }} {% raw %} {{ self.__init__ }} ${7*7}",
    "javascript:alert(5)",
    "]]> &amp; &lt;b&gt; &#60;i&#62;",
)
HOSTILE = " ".join(PAYLOADS)


def hostile(label: str) -> str:
    """A field's value: a label saying which field it is, then every payload."""
    return f"{label} {HOSTILE}"


BODY = f"""\
## {hostile("HEADING")}

[click](javascript:alert(6)) [data](data:text/html,<script>alert(7)</script>)
<javascript:alert(8)> ![x](javascript:alert(9)) ![y](data:image/svg+xml,<svg onload=alert(10)>)
[reference][evil] [Vb](vbscript:msgbox(1)) [ok](https://example.org/"onmouseover="alert(11))

<script>alert(12)</script>

<img src=x onerror=alert(13)>

<a href="javascript:alert(14)">raw link</a>

{hostile("PARAGRAPH")}

`<script>alert(15)</script>` in code

```html
</code></pre><script>alert(16)</script>
```

| <b onclick=alert(17)>cell</b> | [l](javascript:alert(18)) |
|---|---|
| {{{{ 7*7 }}}} | <!-- comment --> |

[evil]: javascript:alert(19)
"""


def relation(label: str, ref: str | None = None) -> dict[str, Any]:
    return {
        "label": hostile(f"{label}-LABEL"),
        "label_en": hostile(f"{label}-LABEL-EN"),
        "ref": ref,
        "note": {"ja": hostile(f"{label}-NOTE-JA"), "en": hostile(f"{label}-NOTE-EN")},
        "sense": "first",
    }


def glossary_data() -> dict[str, Any]:
    hostile_term = {
        "id": "hostile",
        "title": {"ja": hostile("TITLE-JA"), "en": hostile("TITLE-EN")},
        "reading": "きけん",
        "aliases": [hostile("ALIAS"), "<script>", "</SCRIPT >", "<!--"],
        "tags": ["evil"],
        "summary": {"ja": hostile("SUMMARY-JA"), "en": hostile("SUMMARY-EN")},
        "body": {"ja": BODY, "en": BODY},
        "senses": [
            {
                "id": "first",
                "title": {"ja": hostile("SENSE-TITLE-JA"), "en": hostile("SENSE-TITLE-EN")},
                "summary": {"ja": hostile("SENSE-SUMMARY-JA"), "en": hostile("SENSE-SUMMARY-EN")},
            },
            {
                "id": "second",
                "title": {"ja": "二つ目", "en": "Second"},
                "summary": {"ja": "二つ目の意味", "en": "The second sense"},
            },
        ],
        "synonyms": [relation("SYNONYM")],
        "antonyms": [relation("ANTONYM", "plain")],
        "collocations": [relation("COLLOCATION")],
        "related": [relation("RELATED", "plain")],
        "sources": [
            {
                "title": hostile("SOURCE-TITLE"),
                "url": 'https://example.org/"><script>alert(20)</script>',
            }
        ],
        "updated": "2026-11-27",
    }
    plain_term = {
        "id": "plain",
        "title": {"ja": "普通", "en": "Plain"},
        "reading": "ふつう",
        "tags": ["evil"],
        "summary": {"ja": "普通の用語。", "en": "A plain term."},
        "related": [
            {"label": "x", "ref": "hostile", "note": {"ja": "注", "en": "Note"}},
            {"label": hostile("TITLE-JA"), "note": {"ja": "題で", "en": "By title"}},
        ],
        "updated": "2026-11-26",
    }
    return {
        "version": 1,
        "site": {
            "title": {"ja": hostile("SITE-TITLE-JA"), "en": hostile("SITE-TITLE-EN")},
            "description": {"ja": hostile("SITE-DESC-JA"), "en": hostile("SITE-DESC-EN")},
        },
        "tags": {"evil": {"ja": hostile("TAG-JA"), "en": hostile("TAG-EN")}},
        "terms": [hostile_term, plain_term],
    }


def glossary_yaml() -> str:
    return yaml.safe_dump(glossary_data(), allow_unicode=True, sort_keys=False, width=10_000)


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp_path = tmp_path_factory.mktemp("hostile")
    data, db = tmp_path / "glossary.yaml", tmp_path / "glossary.sqlite"
    data.write_text(glossary_yaml(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown, "problems", lambda text: [])
        build_from_yaml(data, db)  # the app finds it built from this YAML and serves it as is
    settings = Settings(data=data, db=db, base_url="http://testserver", reload_interval=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


# ── What counts as an attacker's markup ────────────────────────────────────────────────────

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset"}
INTRODUCED = {"img", "iframe", "object", "embed", "base", "style", "textarea", "frame"}
INTRODUCED |= {"frameset", "math", "template", "applet", "audio", "video", "svg"}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class Page(HTMLParser):
    """The elements, scripts and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attributes, content = self.scripts[-1]
            self.scripts[-1] = (attributes, content + data)
        else:
            self.text.append(data)

    def all_text(self) -> str:
        """The text as a reader sees it, and the attributes a reader hears (alt, title, value)."""
        shown = [v for _, a in self.elements for k, v in a.items() if k in ("content", "value")]
        return " ".join(self.text + shown)


def assert_no_injected_markup(html: str, where: str, *, svg_allowed: bool = False) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    for tag, attributes in page.elements:
        for name, value in attributes.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}=…>"
            if name in URL_ATTRIBUTES:
                assert not BAD_SCHEME.match(value), f"{where}: <{tag} {name}={value!r}>"
        if tag == "meta":
            assert "http-equiv" not in attributes, f"{where}: <meta http-equiv>"
        if tag in INTRODUCED and not (svg_allowed and tag == "svg"):
            raise AssertionError(f"{where}: an injected <{tag} {attributes}>")
        if tag == "form":
            assert attributes.get("action", "/").startswith("/"), f"{where}: form {attributes}"
    for attributes, content in page.scripts:
        if attributes.get("type") == "application/ld+json":
            assert "<" not in content and "src" not in attributes, where
            json.loads(content)
        else:
            assert attributes.get("src", "").startswith("/static/"), f"{where}: {attributes}"
            assert content.strip() == "", f"{where}: inline script {content[:80]!r}"
    return page


def jsonld_strings(html: str) -> list[str]:
    """Every string in the page's JSON-LD blocks."""
    page = Page()
    page.feed(html)
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for attributes, content in page.scripts:
        if attributes.get("type") == "application/ld+json":
            walk(json.loads(content))
    return found


def shown(label: str) -> str:
    """The text a reader sees for a field: all of it, or for Markdown up to where Markdown's
    own syntax begins to count (entities are decoded, 7*7 … 7*7 is emphasis)."""
    return hostile(label).split(" {{")[0] if label in MARKDOWN_FIELDS else hostile(label)


MARKDOWN_FIELDS = {"HEADING", "PARAGRAPH"}


@pytest.mark.parametrize(
    "html",
    [
        "<p><img src=x onerror=alert(1)></p>",
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<a href=" JavaScript:alert(1)">x</a>',
        "<svg><circle></circle></svg>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<form action="https://evil.example"></form>',
        "<iframe srcdoc='x'></iframe>",
        '<script type="application/ld+json">{"a": "</p><p>"}</script>',
    ],
)
def test_the_checker_itself_catches_injected_markup(html: str) -> None:
    with pytest.raises(AssertionError):
        assert_no_injected_markup(f"<!doctype html><html><body>{html}</body></html>", "self-test")


# ── The pages ──────────────────────────────────────────────────────────────────────────────

# path → the fields whose hostile text must be on the page, as text
PAGES: dict[str, tuple[str, ...]] = {
    "/terms/hostile": (
        "TITLE-JA",
        "SUMMARY-JA",
        "ALIAS",
        "TAG-JA",
        "SENSE-TITLE-JA",
        "SENSE-SUMMARY-JA",
        "SYNONYM-LABEL",
        "SYNONYM-LABEL-EN",
        "SYNONYM-NOTE-JA",
        "ANTONYM-NOTE-JA",
        "COLLOCATION-NOTE-JA",
        "RELATED-NOTE-JA",
        "SOURCE-TITLE",
        "HEADING",
        "PARAGRAPH",
        "SITE-TITLE-JA",
    ),
    "/en/terms/hostile": (
        "TITLE-EN",
        "TITLE-JA",
        "SUMMARY-EN",
        "ALIAS",
        "TAG-EN",
        "SENSE-TITLE-EN",
        "SENSE-SUMMARY-EN",
        "SYNONYM-LABEL-EN",
        "SYNONYM-NOTE-EN",
        "SOURCE-TITLE",
        "HEADING",
        "PARAGRAPH",
        "SITE-TITLE-EN",
    ),
    "/terms/plain": ("TITLE-JA", "TAG-JA", "SITE-TITLE-JA"),
    "/en/terms/plain": ("TITLE-EN", "TAG-EN", "SITE-TITLE-EN"),
    "/": ("TITLE-JA", "TAG-JA", "SITE-TITLE-JA", "SITE-DESC-JA"),
    "/en/": ("TITLE-EN", "TAG-EN", "SITE-TITLE-EN", "SITE-DESC-EN"),
    "/tags/evil": ("TITLE-JA", "TAG-JA", "SITE-TITLE-JA"),
    "/en/tags/evil": ("TITLE-EN", "TAG-EN", "SITE-TITLE-EN"),
    "/index/ka": ("TITLE-JA", "SITE-TITLE-JA"),
    "/en/index/ka": ("TITLE-EN", "SITE-TITLE-EN"),
    "/index/az/t": ("TITLE-JA", "SITE-TITLE-JA"),
    "/en/index/az/t": ("TITLE-EN", "SITE-TITLE-EN"),
    "/search?q=きけん": ("TITLE-JA", "SUMMARY-JA", "SITE-TITLE-JA"),
    "/en/search?q=kiken": ("TITLE-EN", "SUMMARY-EN", "SITE-TITLE-EN"),
    "/search?q=" + quote(HOSTILE): ("SITE-TITLE-JA",),
    "/en/search?q=" + quote("<script>"): ("TITLE-EN", "SITE-TITLE-EN"),
    "/demo/backprop": ("SITE-TITLE-JA",),
    "/en/demo/backprop": ("SITE-TITLE-EN",),
    # error pages (which show the default site title and do not echo the path)
    "/terms/" + quote("<script>alert(1)</script>", safe=""): (),
    "/en/tags/" + quote('"><img src=x onerror=alert(1)>'): (),
    "/en/index/" + quote("<svg onload=alert(1)>"): (),
    "/embed/terms/hostile": ("TITLE-JA", "SUMMARY-JA"),
}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_the_payloads_as_text(hostile_client: TestClient, path: str) -> None:
    response = hostile_client.get(path)
    assert response.status_code in (200, 404), path
    assert response.headers["content-type"].startswith("text/html")
    page = assert_no_injected_markup(response.text, path, svg_allowed="backprop" in path)
    text = page.all_text()
    for label in PAGES[path]:  # "{{ 7*7 }}" among them: no template ever runs the text
        assert shown(label) in text, f"{path}: {label} is not shown as written"


def test_the_term_page_renders_no_payload_as_a_link_or_template(hostile_client: TestClient) -> None:
    for path in ("/terms/hostile", "/en/terms/hostile"):
        html = hostile_client.get(path).text
        page = assert_no_injected_markup(html, path)
        hrefs = [a.get("href", "") for tag, a in page.elements if tag == "a"]
        assert not [h for h in hrefs if "alert" in h and not h.startswith("https://example.org")]
        assert "[click](javascript:alert(6))" in page.all_text()  # refused links stay text
        assert "{{ 7*7 }}" in page.all_text() and "{% raw %}" in page.all_text()
        assert 'https://example.org/"><script>alert(20)</script>' in hrefs  # the source, as text
        assert "https://example.org/%22onmouseover=%22alert(11)" in hrefs  # a Markdown link


@pytest.mark.parametrize("path", ["/terms/hostile", "/en/terms/hostile", "/", "/en/", "/tags/evil"])
def test_the_json_ld_holds_the_payloads_as_text(hostile_client: TestClient, path: str) -> None:
    strings = jsonld_strings(hostile_client.get(path).text)
    lang = "EN" if path.startswith("/en/") else "JA"
    assert hostile(f"TITLE-{lang}") in strings, path
    assert hostile(f"SITE-TITLE-{lang}") in strings, path
    if "/terms/" in path:
        assert hostile(f"SUMMARY-{lang}") in strings
        assert hostile("ALIAS") in strings and "</SCRIPT >" in strings and "<!--" in strings


def test_the_sitemap_and_feeds_are_well_formed_xml(hostile_client: TestClient) -> None:
    root = ET.fromstring(hostile_client.get("/sitemap.xml").content)
    assert any(loc.text == "http://testserver/terms/hostile" for loc in root.iter() if loc.text)
    for path, lang in (("/feed.xml", "JA"), ("/en/feed.xml", "EN")):
        response = hostile_client.get(path)
        assert response.status_code == 200
        feed = ET.fromstring(response.content)
        texts = [element.text or "" for element in feed.iter()]
        assert any(hostile(f"TITLE-{lang}") in text for text in texts), path
        assert any(hostile(f"SITE-TITLE-{lang}") in text for text in texts), path
        for element in feed.iter():
            assert not element.tag.endswith("script"), path


@pytest.mark.parametrize(
    "path",
    [
        "/og/hostile.png",
        "/en/og/hostile.png",
        "/og/plain.png",
        "/og/tags/evil.png",
        "/en/og/tags/evil.png",
        "/og/_site.png",
        "/en/og/_site.png",
        "/og/_demo.png",
    ],
)
def test_the_og_images_draw_the_payloads(hostile_client: TestClient, path: str) -> None:
    response = hostile_client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_json_api_returns_the_strings_unchanged(hostile_client: TestClient) -> None:
    response = hostile_client.get("/api/v1/terms/hostile")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    term = response.json()
    source = glossary_data()["terms"][0]
    assert term["title"] == source["title"] and term["summary"] == source["summary"]
    assert term["aliases"] == source["aliases"]
    assert term["body"] == {"ja": BODY.strip(), "en": BODY.strip()}
    assert term["synonyms"][0]["note"] == source["synonyms"][0]["note"]
    assert term["synonyms"][0]["label"] == source["synonyms"][0]["label"]
    assert term["sources"] == source["sources"]
    assert term["senses"][0]["title"] == source["senses"][0]["title"]
    assert term["related"][0]["label_en"] == source["related"][0]["label_en"]
    found = hostile_client.get("/api/v1/search", params={"q": "<script>"}).json()
    assert [hit["id"] for hit in found["data"]][:1] == ["hostile"]
    assert found["query"] == "<script>"
    suggested = hostile_client.get("/api/v1/suggest", params={"q": HOSTILE}).json()
    assert suggested["query"] == HOSTILE[:200].strip()
    listed = hostile_client.get("/api/v1/terms").json()
    assert hostile("TITLE-EN") in [t["title"]["en"] for t in listed["data"]]


def test_the_oembed_html_escapes_the_title(hostile_client: TestClient) -> None:
    response = hostile_client.get(
        "/oembed", params={"url": "http://testserver/terms/hostile", "format": "json"}
    )
    if response.status_code == 404 and response.json().get("title") == "Not Found":
        pytest.skip("no oEmbed provider in this build")
    assert response.status_code == 200
    data = response.json()
    assert hostile("TITLE-JA") in data["title"]
    page = Page()
    page.feed(data["html"])
    for tag, attributes in page.elements:
        assert tag in ("iframe", "blockquote", "a", "p", "span"), tag
        assert not [name for name in attributes if name.startswith("on")]
        for name in URL_ATTRIBUTES & set(attributes):
            assert attributes[name].startswith("http://testserver/"), attributes
    assert not page.scripts


def test_the_loader_refuses_the_hostile_bodies_and_nothing_else() -> None:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(glossary_yaml().encode(), filename="glossary.yaml")
    messages = [problem.message for problem in caught.value.problems]
    assert messages and all(m.startswith("terms[0].body.") for m in messages)
    assert any("raw HTML is not allowed" in m and "<script>alert(12)" in m for m in messages)
    assert any("a link to 'javascript:alert(6)'" in m for m in messages)
    assert any("a link to 'data:text/html" in m for m in messages)
    assert any("a link to 'javascript:alert(19)'" in m for m in messages)  # a reference link
    assert not any("alert(15)" in m or "alert(16)" in m for m in messages)  # code is fine


def test_the_source_url_must_be_http(tmp_path: Path) -> None:
    data = glossary_data()
    data["terms"][1]["sources"] = [{"title": "x", "url": "javascript:alert(1)"}]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text.encode(), filename="glossary.yaml")
    assert any(
        problem.message.startswith("terms[1].sources[0].url: string should match pattern")
        for problem in caught.value.problems
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
    ],
)
def test_the_renderer_alone_follows_no_other_scheme(url: str) -> None:
    assert not markdown.link_allowed(url)
    for text in (f"[x]({url})", f"[x](<{url}>)", f"[x][r]\n\n[r]: <{url}>", f"<{url}>"):
        html = markdown.render(text).html
        assert_no_injected_markup(f"<!doctype html><html><body>{html}</body></html>", text)


@pytest.mark.parametrize("url", ["https://example.org/", "http://a.b", "mailto:a@b.c", "x", "/x"])
def test_ordinary_links_are_followed(url: str) -> None:
    assert markdown.link_allowed(url)
    assert f'href="{url}"' in markdown.render(f"[x]({url})").html
