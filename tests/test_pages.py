"""HTML pages: every term renders in both languages with its reading as ruby, relations
link to their terms, the index files terms by 五十音 row and A–Z, titles redirect to ids,
unknown pages get the site's 404, and a crawl from / finds no broken internal link and no
request to another site."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.glossary.loader import load_glossary
from tests.conftest import GLOSSARY

TERMS = load_glossary(GLOSSARY).terms


class Page(HTMLParser):
    """Collects links, resources, <html lang> and the text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.alternates: list[dict[str, str | None]] = []
        self.lang: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.resources.append(str(values["src"]))
        if tag == "link":
            if values.get("rel") in ("stylesheet", "icon", "preload"):
                self.resources.append(str(values["href"]))
            if values.get("rel") == "alternate":
                self.alternates.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("term", TERMS, ids=[t.id for t in TERMS])
def test_every_term_page_renders_in_both_languages(client: TestClient, term: object) -> None:
    from app.glossary.schema import TermEntry

    assert isinstance(term, TermEntry)
    ja = client.get(f"/terms/{term.id}")
    en = client.get(f"/en/terms/{term.id}")
    assert ja.status_code == en.status_code == 200
    assert parse(ja.text).lang == "ja" and parse(en.text).lang == "en"
    assert f"<ruby>{_escape(term.title.ja)}<rp>(</rp><rt>{term.reading}</rt>" in ja.text
    assert f"<h1>{_escape(term.title.en)}</h1>" in en.text
    assert _escape(term.summary.ja) in ja.text
    assert _escape(term.summary.en) in en.text
    json_twin = [a for a in parse(ja.text).alternates if a.get("type") == "application/json"]
    assert json_twin and json_twin[0]["href"] == f"/api/v1/terms/{term.id}"


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def test_the_backprop_page_shows_the_article_senses_and_grouped_relations(
    client: TestClient,
) -> None:
    html = client.get("/terms/backpropagation").text
    for heading in (
        "概要",
        "前向き伝播と誤差伝播の違い",
        "背後にある考え方",
        "手順",
        "実際の例と簡単な表",
        "まとめ",
    ):
        assert f">{heading}</h2>" in html
    assert "<table" in html and "0.116874" in html
    assert "二つの意味" in html
    collocations = html[html.index('id="collocations"') : html.index('id="related"')]
    assert collocations.index("ニューラルネットワークの学習") < collocations.index("計測・数値計算")
    assert '<a href="/terms/vanishing-gradient">勾配消失</a>' in html
    assert '<a href="/terms/forward-propagation">順伝播</a>' in html


def test_the_english_page_is_english(client: TestClient) -> None:
    html = client.get("/en/terms/backpropagation").text
    assert ">Overview</h2>" in html
    assert '<a href="/en/terms/vanishing-gradient">Vanishing gradient</a>' in html
    assert ">Synonyms <span" in html and ">Related terms <span" in html


def test_relations_link_back(client: TestClient) -> None:
    vanishing = client.get("/terms/vanishing-gradient").text
    exploding = client.get("/terms/exploding-gradient").text
    assert 'href="/terms/exploding-gradient"' in vanishing
    assert 'href="/terms/vanishing-gradient"' in exploding
    assert 'href="/terms/cost-function"' in client.get("/terms/loss-function").text
    assert 'href="/terms/loss-function"' in client.get("/terms/cost-function").text


def test_a_title_or_alias_in_the_url_redirects_to_the_id(client: TestClient) -> None:
    for name, lang_prefix in [("誤差伝播", ""), ("Backpropagation", ""), ("誤差逆伝播法", "/en")]:
        response = client.get(f"{lang_prefix}/terms/{name}")
        assert response.status_code == 301
        assert response.headers["location"] == f"{lang_prefix}/terms/backpropagation"


def test_unknown_pages_get_the_sites_404(client: TestClient) -> None:
    for path, lang in [("/terms/nothing", "ja"), ("/en/terms/nothing", "en"), ("/nowhere", "ja")]:
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        page = parse(response.text)
        assert page.lang == lang
        assert any(r.startswith("/static/app.") for r in page.resources)


def test_the_index_files_terms_by_gojuon_row_and_letter(client: TestClient) -> None:
    html = client.get("/").text
    rows = re.findall(r'<h3 id="row-(\w+)-h" lang="ja">(.行)</h3>', html)
    slugs = [slug for slug, _ in rows]
    assert slugs == sorted(
        slugs, key=["a", "ka", "sa", "ta", "na", "ha", "ma", "ya", "ra", "wa"].index
    )
    assert ("ka", "か行") in rows and ("sa", "さ行") in rows
    ka = html[html.index('id="row-ka"') : html.index('id="row-sa"')]
    assert "/terms/gradient" in ka and "/terms/backpropagation" in ka  # こうばい, ごさでんぱ
    assert ka.index("/terms/gradient") < ka.index("/terms/backpropagation")
    letters = re.findall(r'<h3 id="letter-(\w+)-h">', html)
    assert letters == sorted(letters) and "B" in letters
    for term in TERMS:
        assert f'href="/terms/{term.id}"' in html


def test_tag_pages_list_their_terms(client: TestClient) -> None:
    html = client.get("/tags/activation-functions").text
    for term_id in ("relu", "sigmoid", "tanh", "softmax"):
        assert f'href="/terms/{term_id}"' in html
    assert client.get("/tags/nope").status_code == 404


def test_a_crawl_of_the_site_finds_no_broken_link(client: TestClient) -> None:
    seen: set[str] = set()
    queue = ["/", "/en/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code in (200, 301), path
        if response.status_code == 301:
            queue.append(response.headers["location"])
            continue
        if not response.headers["content-type"].startswith("text/html"):
            continue
        page = parse(response.text)
        for resource in page.resources:
            assert not urlsplit(resource).netloc, f"{path} loads {resource} from another site"
            assert client.get(resource).status_code == 200, resource
        for link in page.links:
            target = urlsplit(urljoin("http://testserver" + path, link))
            if target.netloc != "testserver":
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    term_pages = {p for p in seen if p.startswith(("/terms/", "/en/terms/"))}
    assert len(term_pages) == 2 * len(TERMS)


def test_term_pages_with_their_css_and_js_stay_under_50_kb(client: TestClient) -> None:
    """Uncompressed, as the design's target counts them: the page and every file it loads."""
    for term in TERMS:
        for prefix in ("", "/en"):
            html = client.get(f"{prefix}/terms/{term.id}").content
            page = parse(html.decode())
            loaded = [r for r in page.resources if r.endswith((".css", ".js"))]
            assert any(r.endswith(".css") for r in loaded) and any(
                r.endswith(".js") for r in loaded
            )
            total = len(html) + sum(len(client.get(r).content) for r in loaded)
            assert total <= 50 * 1024, (term.id, prefix, total)


def test_the_worked_example_is_computed_by_the_engine(client: TestClient) -> None:
    """The page shows the engine's table in place of the article's, and both agree."""
    from app.backprop import article_example

    named = article_example()["named"]
    assert isinstance(named, dict)
    article = next(t for t in TERMS if t.id == "backpropagation").body
    assert article is not None
    for lang, text in (("ja", article.ja), ("en", article.en or "")):
        table = [line for line in text.splitlines() if line.strip().startswith("|")]
        values = [float(line.rstrip(" |").rsplit("|", 1)[1]) for line in table[2:]]
        for key in ("z1", "h", "y", "L", "dL_dy", "dL_dw2", "dL_dh", "dh_dz1", "dL_dw1", "dL_db"):
            assert any(abs(v - named[key]) < 5e-7 for v in values), (lang, key)
        path = ("" if lang == "ja" else "/en") + "/terms/backpropagation"
        html = client.get(path).text.replace("\u2212", "-")
        assert html.count("<table") == 1
        assert 'class="backprop-example"' in html
        assert f"{named['dL_dw2']:.6g}" in html
        assert 'href="/demo/backprop"' in html or 'href="/en/demo/backprop"' in html
