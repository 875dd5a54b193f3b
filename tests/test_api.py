"""The JSON API contract (docs/api.md): shapes of /api/v1/terms and /api/v1/terms/{id},
cursor pagination, and RFC 9457 problem+json errors that name the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.glossary.loader import load_glossary
from tests.conftest import GLOSSARY

TERM_KEYS = {
    "id",
    "title",
    "reading",
    "aliases",
    "tags",
    "summary",
    "body",
    "synonyms",
    "antonyms",
    "collocations",
    "related",
    "urls",
    "updated",
}
REL_KEYS = {"label", "ref", "note"}
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def test_a_term_has_every_field_of_the_contract(client: TestClient) -> None:
    response = client.get("/api/v1/terms/backpropagation")
    assert response.status_code == 200
    term = response.json()
    assert TERM_KEYS <= set(term)
    assert term["title"] == {"ja": "誤差伝播", "en": "Backpropagation"}
    assert term["reading"] == "ごさでんぱ"
    assert term["urls"] == {
        "ja": "http://testserver/terms/backpropagation",
        "en": "http://testserver/en/terms/backpropagation",
    }
    assert set(term["body"]) == {"ja", "en"} and "## 概要" in term["body"]["ja"]
    for kind in ("synonyms", "antonyms", "collocations", "related"):
        assert term[kind], kind  # the source lists themselves: tests/test_glossary_content.py
    for relation in term["synonyms"] + term["related"]:
        assert REL_KEYS <= set(relation)
        assert set(relation["note"]) == {"ja", "en"}
    assert term["updated"] == "2026-12-01"


def test_relation_refs_resolve_to_terms(client: TestClient) -> None:
    term = client.get("/api/v1/terms/backpropagation").json()
    related = {r["label"]: r["ref"] for r in term["related"]}
    assert related["勾配消失"] == "vanishing-gradient"
    relations = [
        r for kind in ("synonyms", "antonyms", "collocations", "related") for r in term[kind]
    ]
    assert all(r["ref"] != "backpropagation" for r in relations)  # never a link to itself
    for ref in {r["ref"] for r in term["related"] + term["collocations"] if r["ref"]}:
        assert client.get(f"/api/v1/terms/{ref}").status_code == 200


def test_pagination_walks_every_term_once(client: TestClient) -> None:
    expected = sorted(t.id for t in load_glossary(GLOSSARY).terms)
    seen: list[str] = []
    url: str | None = "/api/v1/terms?limit=7"
    while url:
        page = client.get(url.removeprefix("http://testserver")).json()
        assert set(page) == {"data", "next", "count"}
        assert page["count"] == len(expected)
        assert len(page["data"]) <= 7
        seen += [item["id"] for item in page["data"]]
        url = page["next"]
    assert seen == expected


def test_a_summary_has_the_short_shape(client: TestClient) -> None:
    item = client.get("/api/v1/terms?limit=1").json()["data"][0]
    assert {"id", "title", "reading", "summary", "urls"} <= set(item)


def test_an_unknown_term_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/terms/no-such-term")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == 404
    assert body["errors"][0]["field"] == "path.term_id"


def test_bad_query_values_name_the_field(client: TestClient) -> None:
    for url, field in [
        ("/api/v1/terms?limit=0", "query.limit"),
        ("/api/v1/terms?limit=abc", "query.limit"),
        ("/api/v1/terms?limit=100000", "query.limit"),
        ("/api/v1/terms?cursor=%%%", "query.cursor"),
        ("/api/v1/terms?cursor=" + "x" * 500, "query.cursor"),
    ]:
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert set(body) == PROBLEM_KEYS
        assert [e["field"] for e in body["errors"]] == [field], url


def test_unknown_api_paths_and_methods_are_problems(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    wrong = client.delete("/api/v1/terms/backpropagation")
    assert wrong.status_code == 405
    assert wrong.json()["status"] == 405


def test_health_reports_the_data(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["terms"] == len(load_glossary(GLOSSARY).terms)
    assert len(body["data_version"]) == 16


def test_openapi_documents_the_api_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/terms", "/api/v1/terms/{term_id}", "/api/v1/search", "/api/v1/suggest"):
        assert path in spec["paths"]
    text = client.get("/openapi.json").text
    assert "backpropagation" in text  # the examples
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
