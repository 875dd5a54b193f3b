"""Search as the outside sees it: /api/v1/search and /api/v1/suggest, and the /search pages.

The API answers the shape docs/api.md describes — `{"query", "data": [{"id", "title",
"reading", "summary", "score", …}], "count"}` — ranked best first; suggest gives at most 10
short entries. No query string makes a 500: hostile text is a 200 (with results or none), a q
over 10,000 characters is a 422 problem+json naming `query.q`, and a URL past the server's
8 KiB limit is a 414 problem+json that says so. The results page, in Japanese and English,
says in words which part of each term matched, marks mixed-language text with `lang`, and
answers every query — empty, unmatched, very long or odd — with a 200 and a message.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient

from app.web.security import MAX_URL_BYTES

SEARCH, SUGGEST = "/api/v1/search", "/api/v1/suggest"
TIERS = ("exact", "prefix", "substring", "fuzzy")

HOSTILE = [
    "",
    " ",
    "\u3000",
    '"',
    '""',
    "'",
    '"AND"',
    "AND",
    "OR",
    "NOT",
    "a AND b",
    "NEAR(a b)",
    '"a" NEAR/2 "b"',
    "*",
    "a*",
    "^x",
    "keys:abc",
    "-- ;",
    "'; DROP TABLE term; --",
    "%",
    "_",
    "%_%",
    "%00",
    "\\",
    "\\%",
    "\\\\'",
    "\x00",
    "a\x00b",
    "\x1f\x7f\x85",
    "😀",
    "🔥偏",
    "👨‍👩‍👧",
    "\ufeff",
    "\u200b",
    "\U0010ffff",
    "ー",
    "〜",
    "㍿",
    "ｶﾞ",
    "<script>alert(1)</script>",
    "{q}",
    "a" * 8_000,  # the longest URLs the server takes (8 KiB, app/web/security.py)
    "あ" * 800,  # 7,200 bytes percent-encoded
    "a" * 10_000,  # the longest q the API takes, in a URL the server refuses (414)
    "%" * 10_000,
    "あ" * 5_000 + "x" * 5_000,
]


def fits(path: str, q: str) -> bool:
    """Whether the URL for q is within the server's limit (else it is a 414 before routing)."""
    return len(path) + len(urlencode({"q": q})) + 1 <= MAX_URL_BYTES


def assert_url_too_long(response: httpx.Response) -> None:
    """A 414 that says why: problem+json under /api/, a small page for people elsewhere."""
    assert response.status_code == 414
    if response.request.url.path.startswith("/api/"):
        assert response.headers["content-type"] == "application/problem+json"
        assert "URL" in response.json()["detail"]
    else:
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "URL is longer than 8 KiB" in response.text


def api(client: TestClient, path: str, q: str, **params: object) -> dict[str, object]:
    response = client.get(path, params={"q": q, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body, dict)
    return body


def data(client: TestClient, path: str, q: str, **params: object) -> list[dict[str, object]]:
    items = api(client, path, q, **params)["data"]
    assert isinstance(items, list)
    return items


def assert_problem(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= body.keys()
    assert body["status"] == 422
    assert [error["field"] for error in body["errors"]] == [field]
    assert field in body["detail"]


# --- /api/v1/search -------------------------------------------------------------------------


def test_search_answers_the_design_shape(client: TestClient) -> None:
    body = api(client, SEARCH, "偏微分")
    assert body["query"] == "偏微分"
    items = body["data"]
    assert isinstance(items, list)
    assert body["count"] == len(items) >= 1
    hit = items[0]
    assert {"id", "title", "reading", "summary", "score"} <= hit.keys()
    assert hit["id"] == "partial-derivative"
    assert hit["title"] == {"ja": "偏微分", "en": "Partial derivative"}
    assert hit["reading"] == "へんびぶん"
    assert set(hit["summary"]) == {"ja", "en"} and all(hit["summary"].values())
    assert isinstance(hit["score"], float)
    assert (hit["kind"], hit["field"], hit["matched"]) == ("exact", "title", "偏微分")
    assert hit["urls"] == {
        "ja": "http://testserver/terms/partial-derivative",
        "en": "http://testserver/en/terms/partial-derivative",
    }


@pytest.mark.parametrize(
    ("query", "term_id", "kind", "field", "matched"),
    [
        ("へんびぶん", "partial-derivative", "exact", "reading", "へんびぶん"),
        ("ヘンビブン", "partial-derivative", "exact", "reading", "へんびぶん"),
        ("hen bibun", "partial-derivative", "exact", "romaji", "henbibun"),
        ("jido bibun", "automatic-differentiation", "exact", "romaji", None),
        ("ＲＭＳＰＲＯＰ", "rmsprop", "exact", "title", "RMSProp"),
        ("ﾓｰﾒﾝﾀﾑ", "momentum", "exact", "title", "モーメンタム"),
        ("Momentum", "momentum", "exact", "english", "Momentum"),
        ("誤差逆伝搬法", "backpropagation", "exact", "alias", None),
        ("勾配伝搬法", "backpropagation", "exact", "synonym", "勾配伝搬法"),
        ("へんび", "partial-derivative", "prefix", "reading", "へんびぶん"),
        ("爆発", "exploding-gradient", "substring", "title", "勾配爆発"),
        ("momentun", "momentum", "fuzzy", "english", "Momentum"),
    ],
)
def test_each_kind_of_query_through_the_api(
    client: TestClient, query: str, term_id: str, kind: str, field: str, matched: str | None
) -> None:
    hit = data(client, SEARCH, query)[0]
    assert (hit["id"], hit["kind"], hit["field"]) == (term_id, kind, field)
    if matched is not None:
        assert hit["matched"] == matched


def test_ranking_is_visible_through_the_api(client: TestClient) -> None:
    items = data(client, SEARCH, "勾配")
    assert items[0]["id"] == "gradient" and items[0]["kind"] == "exact"
    kinds = [TIERS.index(str(item["kind"])) for item in items]
    assert kinds == sorted(kinds) and len(set(kinds)) >= 3  # exact, prefix, substring
    scores = [float(str(item["score"])) for item in items]
    assert scores == sorted(scores, reverse=True)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))  # one entry per term
    # 誤差伝搬 is its own term; 誤差伝播 (backpropagation) only its variant spelling.
    assert [item["id"] for item in data(client, SEARCH, "誤差伝搬")][:2] == [
        "error-propagation",
        "backpropagation",
    ]


def test_search_limit(client: TestClient) -> None:
    assert len(data(client, SEARCH, "勾配", limit=2)) == 2
    assert len(data(client, SEARCH, "勾配", limit=100)) >= 3
    for bad in ("0", "101", "-1", "abc", "1.5"):
        assert_problem(client.get(SEARCH, params={"q": "勾配", "limit": bad}), "query.limit")


def test_query_is_echoed_trimmed_and_cut(client: TestClient) -> None:
    assert api(client, SEARCH, "  偏微分 \u3000")["query"] == "偏微分"
    long = "偏微分" + "x" * 7_000
    body = api(client, SEARCH, long)
    assert body["query"] == long[:200]
    assert body["count"] == 0


# --- /api/v1/suggest ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["へんび", "ヘンビ", "henbi", "hen bi", "偏"])
def test_suggest_completes_a_partly_typed_term(client: TestClient, query: str) -> None:
    body = api(client, SUGGEST, query)
    items = body["data"]
    assert isinstance(items, list)
    assert body["count"] == len(items)
    assert "partial-derivative" in [item["id"] for item in items]


def test_suggest_entries_are_short(client: TestClient) -> None:
    entry = data(client, SUGGEST, "へんび")[0]
    assert set(entry) == {"id", "title", "reading", "matched", "kind", "urls"}
    assert entry["title"] == {"ja": "偏微分", "en": "Partial derivative"}
    assert entry["reading"] == "へんびぶん"
    assert entry["urls"] == {
        "ja": "http://testserver/terms/partial-derivative",
        "en": "http://testserver/en/terms/partial-derivative",
    }


@pytest.mark.parametrize("query", ["こ", "b", "勾", "a", "s", "e", "の"])
def test_suggest_gives_at_most_ten(client: TestClient, query: str) -> None:
    items = data(client, SUGGEST, query)
    assert len(items) <= 10
    assert len(data(client, SUGGEST, query, limit=1000)) == len(items)  # no way past ten


def test_suggest_fills_up_to_ten_when_it_can(client: TestClient) -> None:
    assert len(data(client, SUGGEST, "勾配")) == 10
    assert len(data(client, SEARCH, "勾配")) >= 10


def test_suggest_puts_exact_and_prefix_matches_first(client: TestClient) -> None:
    items = data(client, SUGGEST, "勾配")
    assert items[0]["id"] == "gradient"
    kinds = [TIERS.index(str(item["kind"])) for item in items]
    assert kinds == sorted(kinds)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_no_query_string_makes_a_500(client: TestClient, query: str) -> None:
    for path in (SEARCH, SUGGEST, "/search", "/en/search"):
        if not fits(path, query):
            assert_url_too_long(client.get(path, params={"q": query}))
        elif path.startswith("/api/"):
            body = api(client, path, query)
            assert isinstance(body["data"], list)
            assert isinstance(body["query"], str) and len(body["query"]) <= 200
        else:
            response = client.get(path, params={"q": query})
            assert response.status_code == 200, (path, query)
            assert "\x00" not in response.text


@pytest.mark.parametrize(
    "raw", ["q=%FF", "q=%ED%A0%80", "q=%", "q=%zz", "q=a&q=b", "q=%00", "q=%E3%81", "q"]
)
def test_broken_percent_encoding_is_not_a_500(client: TestClient, raw: str) -> None:
    for path in (SEARCH, SUGGEST, "/search", "/en/search"):
        response = client.get(f"{path}?{raw}")
        assert response.status_code == 200, (path, raw, response.text[:200])


def test_a_query_over_10000_characters_is_a_4xx_that_says_why(client: TestClient) -> None:
    # The API refuses a q over 10,000 characters with a 422 naming query.q; the server's URL
    # limit (8 KiB) comes first for such a URL, with a 414 that says so.
    spec = client.get("/openapi.json").json()
    for path in (SEARCH, SUGGEST):
        (q,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "q"]
        assert q["required"] is True and q["schema"]["maxLength"] == 10_000
        for text in ("x" * 10_000, "x" * 10_001, "偏" * 5_000 + "x" * 5_001):
            response = client.get(path, params={"q": text})
            if not fits(path, text):
                assert_url_too_long(response)
            elif len(text) > 10_000:
                assert_problem(response, "query.q")
            else:
                assert response.status_code == 200


def test_a_missing_q_is_a_422_naming_q(client: TestClient) -> None:
    for path in (SEARCH, SUGGEST):
        assert_problem(client.get(path), "query.q")


def test_fts_and_like_syntax_is_only_text(client: TestClient) -> None:
    # Quotes, *, %, _ and backslashes are punctuation to normalize(), never SQL or FTS5 syntax.
    for query in ['"偏微分"', "偏微分*", "%偏微分%", "_偏微分_", "偏微分\\", "(偏微分)"]:
        assert data(client, SEARCH, query)[0]["id"] == "partial-derivative", query
    # OR joins nothing: the letters are part of the query.
    assert api(client, SEARCH, "偏微分 OR 勾配")["count"] == 0
    assert api(client, SEARCH, "%")["count"] == 0  # not LIKE's "anything"


# --- the results page -----------------------------------------------------------------------


class Results(HTMLParser):
    """The result cards of a search page: titles, links, and each card's "matched" line."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.links: list[str] = []
        self.matches: list[str] = []
        self.match_langs: list[str | None] = []
        self.glosses: list[str | None] = []
        self.alternates: list[str] = []
        self._in_match = False
        self._in_card = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "ol" and "results" in classes:
            self._in_card = True
        if self._in_card and tag == "a":
            self.links.append(str(values.get("href")))
        if self._in_card and tag == "span" and "gloss" in classes:
            self.glosses.append(values.get("lang"))
        if tag == "p" and "match" in classes:
            self._in_match, self._text = True, []
        elif self._in_match and tag == "span":
            self.match_langs.append(values.get("lang"))
        if tag == "link" and values.get("type") == "application/json":
            self.alternates.append(str(values.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._in_match:
            self._in_match = False
            self.matches.append("".join(self._text))
        if tag == "ol":
            self._in_card = False

    def handle_data(self, text: str) -> None:
        if self._in_match:
            self._text.append(text)


def page(client: TestClient, path: str, q: str | None) -> tuple[str, Results]:
    response = client.get(path, params=None if q is None else {"q": q})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    parsed = Results()
    parsed.feed(response.text)
    return response.text, parsed


@pytest.mark.parametrize(
    ("path", "query", "first_match", "key_lang"),
    [
        ("/search", "偏微分", "見出し「偏微分」に一致", "ja"),
        ("/search", "へんびぶん", "読み「へんびぶん」に一致", "ja"),
        ("/search", "henbibun", "ローマ字「henbibun」に一致", "ja-Latn"),
        ("/search", "Momentum", "英語名「Momentum」に一致", "en"),
        ("/search", "backprop", "別名「backprop」に一致", "en"),
        ("/search", "勾配伝搬法", "同意語「勾配伝搬法」に一致", "ja"),
        ("/search", "へんび", "読み「へんびぶん」の先頭に一致", "ja"),
        ("/search", "爆発", "見出し「勾配爆発」の一部に一致", "ja"),
        ("/search", "momentun", "英語名「Momentum」に近い綴り(1文字違い)", "en"),
        ("/en/search", "偏微分", "matched the title “偏微分”", "ja"),
        ("/en/search", "へんびぶん", "matched the reading “へんびぶん”", "ja"),
        ("/en/search", "henbibun", "matched the romaji “henbibun”", "ja-Latn"),
        ("/en/search", "Momentum", "matched the English name “Momentum”", "en"),
        ("/en/search", "へんび", "matched the start of the reading “へんびぶん”", "ja"),
        ("/en/search", "爆発", "matched part of the title “勾配爆発”", "ja"),
        ("/en/search", "momentun", "close to the English name “Momentum” (one letter off)", "en"),
    ],
)
def test_the_results_page_says_what_matched(
    client: TestClient, path: str, query: str, first_match: str, key_lang: str
) -> None:
    _, parsed = page(client, path, query)
    assert parsed.matches, "no results"
    assert parsed.matches[0] == first_match
    assert parsed.match_langs[0] == key_lang


def test_a_result_shows_title_reading_english_name_and_summary(client: TestClient) -> None:
    html, parsed = page(client, "/search", "へんびぶん")
    assert parsed.lang == "ja"
    assert parsed.links[0] == "/terms/partial-derivative"
    card = html[html.index('<ol class="cards results">') :]
    assert "<strong>偏微分</strong>" in card
    assert '<span class="r" lang="ja">へんびぶん</span>' in card
    assert '<span class="gloss" lang="en">Partial derivative</span>' in card
    assert "多変数関数" in card  # the Japanese summary

    html, parsed = page(client, "/en/search", "へんびぶん")
    assert parsed.lang == "en"
    assert parsed.links[0] == "/en/terms/partial-derivative"
    card = html[html.index('<ol class="cards results">') :]
    assert "<strong>Partial derivative</strong>" in card
    assert '<span class="r" lang="ja">へんびぶん</span>' in card
    assert '<span class="gloss" lang="ja">偏微分</span>' in card
    assert "多変数関数" not in card  # the English summary, not the Japanese one
    assert set(parsed.glosses) == {"ja"}


def test_results_link_to_their_json_twin(client: TestClient) -> None:
    _, parsed = page(client, "/search", "勾配")
    assert parsed.alternates == ["/api/v1/search?q=%E5%8B%BE%E9%85%8D"]
    assert client.get(parsed.alternates[0]).json()["data"][0]["id"] == "gradient"


def test_the_page_counts_results_in_both_languages(client: TestClient) -> None:
    html, parsed = page(client, "/search", "勾配")
    count = len(data(client, SEARCH, "勾配", limit=50))
    assert len(parsed.matches) == count
    assert f"{count} 件" in html
    html, _ = page(client, "/en/search", "勾配")
    assert f"{count} results" in html
    html, _ = page(client, "/en/search", "へんびぶん")
    assert ">1 result<" in html
    html, _ = page(client, "/search", "へんびぶん")
    assert ">1 件<" in html


@pytest.mark.parametrize(("path", "q"), [("/search", None), ("/search", ""), ("/en/search", " ")])
def test_an_empty_query_asks_for_one(client: TestClient, path: str, q: str | None) -> None:
    html, parsed = page(client, path, q)
    assert not parsed.matches
    assert ("調べたい用語を入力してください" if path == "/search" else "Type a term") in html


def test_no_result_says_so_and_offers_a_way_on(client: TestClient) -> None:
    html, parsed = page(client, "/search", "存在しない用語xyz")
    assert not parsed.matches
    assert "「存在しない用語xyz」に一致する用語は見つかりませんでした" in html
    assert "ローマ字" in html and 'href="/"' in html
    html, _ = page(client, "/en/search", "nothing like this")
    assert "No term matches “nothing like this”" in html
    assert "Browse all terms" in html


def test_a_very_long_query_is_cut_and_the_page_says_so(client: TestClient) -> None:
    long = "偏微分" + " " * 300 + "x" * 7_000
    assert fits("/search", long)
    html, parsed = page(client, "/search", long)
    assert "先頭の 200 文字で検索しました" in html
    assert parsed.matches[0] == "見出し「偏微分」に一致"
    html, _ = page(client, "/en/search", "x" * 201)
    assert "only its first 200 characters were used" in html
    html, _ = page(client, "/en/search", "x" * 200)
    assert "characters were used" not in html


def test_odd_queries_are_shown_escaped(client: TestClient) -> None:
    html, _ = page(client, "/search", "<script>alert(1)</script>")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html, _ = page(client, "/en/search", "a\x00b\x1fc")
    assert re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", html) is None
    assert "No term matches “abc”" in html
