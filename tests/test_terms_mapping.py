"""A term described once (app/data/terms.py): a YAML entry goes through the real loader and
the real build into SQLite, and comes back from the queries with every field it had."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.data import queries
from app.data.db import open_engine
from app.glossary.build import build_from_yaml
from app.glossary.loader import load_glossary
from app.glossary.schema import TermEntry
from app.models import TermPublic, TermSummary
from tests.conftest import YAML_HEAD as HEAD

BASE = "http://testserver"
# Every field of a term and of its relations, senses and sources, with values no other
# field shares; the last `related` has no ref, so the build finds it from the label.
GRADIENT = """\
  - id: gradient
    title: {ja: 勾配, en: Gradient}
    reading: こうばい
    aliases: [グラディエント, grad]
    tags: [ml]
    summary: {ja: 関数の傾きを並べたベクトル。, en: The vector of a function's slopes.}
    body:
      ja: |
        勾配は**偏微分**を並べたもの。
      en: |
        The gradient lists the *partial derivatives*.
    senses:
      - id: calculus
        title: {ja: 微積分, en: Calculus}
        summary: {ja: 多変数関数の勾配。, en: Of a function of several variables.}
      - id: learning
        title: {ja: 学習, en: Learning}
        summary: {ja: 損失関数の勾配。, en: Of a loss function.}
    synonyms:
      - label: 傾き
        label_en: Slope
        ref: slope
        note: {ja: 一変数のとき, en: In one variable}
        sense: calculus
    antonyms:
      - label: 鞍点
        label_en: Saddle point
        ref: saddle-point
        note: {ja: 勾配が消える点, en: Where the gradient vanishes}
        sense: learning
    collocations:
      - label: 勾配を計算する
        label_en: compute the gradient
        ref: chain-rule
        note: {ja: 連鎖律で, en: By the chain rule}
        sense: learning
    related:
      - label: 連鎖律
        label_en: Chain rule
        ref: chain-rule
        note: {ja: 合成関数の微分, en: Differentiating a composition}
        sense: calculus
      - label: Saddle point
        note: {ja: 英語の名前で, en: By its English name}
    sources:
      - {title: 微分積分学, url: "https://example.org/calculus"}
      - {title: Gradient, url: "https://en.wikipedia.org/wiki/Gradient"}
    updated: 2026-11-27
"""

OTHERS = """\
  - id: slope
    title: {ja: 傾き, en: Slope}
    reading: かたむき
    summary: {ja: 直線の傾き。, en: The slope of a line.}
    updated: 2026-01-02
  - id: chain-rule
    title: {ja: 連鎖律, en: Chain rule}
    reading: れんさりつ
    summary: {ja: 合成関数の微分。, en: The derivative of a composition.}
    updated: 2026-01-03
  - id: saddle-point
    title: {ja: 鞍点, en: Saddle point}
    reading: あんてん
    summary: {ja: 勾配が零の点。, en: A point where the gradient is zero.}
    updated: 2026-01-04
"""


def urls(term_id: str) -> dict[str, str]:
    return {"ja": f"{BASE}/terms/{term_id}", "en": f"{BASE}/en/terms/{term_id}"}


def relation(
    label: str, label_en: str | None, ref: str, ja: str, en: str, sense: str | None
) -> dict[str, Any]:
    return {
        "label": label,
        "ref": ref,
        "note": {"ja": ja, "en": en},
        "label_en": label_en,
        "sense": sense,
    }


# The JSON the API returns for gradient, key order included.
EXPECTED: dict[str, Any] = {
    "id": "gradient",
    "title": {"ja": "勾配", "en": "Gradient"},
    "reading": "こうばい",
    "aliases": ["グラディエント", "grad"],
    "tags": ["ml"],
    "summary": {"ja": "関数の傾きを並べたベクトル。", "en": "The vector of a function's slopes."},
    "body": {
        "ja": "勾配は**偏微分**を並べたもの。",
        "en": "The gradient lists the *partial derivatives*.",
    },
    "synonyms": [relation("傾き", "Slope", "slope", "一変数のとき", "In one variable", "calculus")],
    "antonyms": [
        relation(
            "鞍点",
            "Saddle point",
            "saddle-point",
            "勾配が消える点",
            "Where the gradient vanishes",
            "learning",
        )
    ],
    "collocations": [
        relation(
            "勾配を計算する",
            "compute the gradient",
            "chain-rule",
            "連鎖律で",
            "By the chain rule",
            "learning",
        )
    ],
    "related": [
        relation(
            "連鎖律",
            "Chain rule",
            "chain-rule",
            "合成関数の微分",
            "Differentiating a composition",
            "calculus",
        ),
        relation("Saddle point", None, "saddle-point", "英語の名前で", "By its English name", None),
    ],
    "urls": urls("gradient"),
    "updated": "2026-11-27",
    "senses": [
        {
            "id": "calculus",
            "title": {"ja": "微積分", "en": "Calculus"},
            "summary": {"ja": "多変数関数の勾配。", "en": "Of a function of several variables."},
        },
        {
            "id": "learning",
            "title": {"ja": "学習", "en": "Learning"},
            "summary": {"ja": "損失関数の勾配。", "en": "Of a loss function."},
        },
    ],
    "sources": [
        {"title": "微分積分学", "url": "https://example.org/calculus"},
        {"title": "Gradient", "url": "https://en.wikipedia.org/wiki/Gradient"},
    ],
}


@pytest.fixture
def built(tmp_path: Path) -> Iterator[tuple[dict[str, TermEntry], Session]]:
    """The entries as the real loader reads them, and a session on the real build's file."""
    path = tmp_path / "glossary.yaml"
    path.write_text(HEAD + GRADIENT + OTHERS, encoding="utf-8")
    entries = {entry.id: entry for entry in load_glossary(path).terms}
    db = tmp_path / "g.sqlite"
    build_from_yaml(path, db)
    engine = open_engine(db)
    with Session(engine) as session:
        yield entries, session
    engine.dispose()


def public(session: Session, term_id: str) -> TermPublic:
    term = queries.get_term(session=session, term_id=term_id, base_url=BASE)
    assert term is not None
    return term


def test_every_field_of_an_entry_reaches_the_public_shape(
    built: tuple[dict[str, TermEntry], Session],
) -> None:
    _, session = built
    got = json.loads(public(session, "gradient").model_dump_json())
    assert got == EXPECTED
    assert list(got) == list(EXPECTED)  # the API's key order


def test_no_field_of_the_yaml_is_left_behind(
    built: tuple[dict[str, TermEntry], Session],
) -> None:
    """Field by field, whatever TermEntry declares: a new YAML field fails here until
    app/data/terms.py carries it to TermPublic under the same name."""
    entries, session = built
    entry = entries["gradient"].model_dump(mode="json")
    entry["related"][1]["ref"] = "saddle-point"  # found by the build from the label
    got = public(session, "gradient").model_dump(mode="json")
    for field in TermEntry.model_fields:
        assert field in got, f"TermPublic has no {field!r}"
        assert got[field] == entry[field], field
    assert set(got) - set(TermEntry.model_fields) == {"urls"}


def test_a_term_without_the_optional_fields(built: tuple[dict[str, TermEntry], Session]) -> None:
    _, session = built
    got = public(session, "slope").model_dump(mode="json")
    assert got["body"] is None
    assert got["aliases"] == got["tags"] == got["senses"] == got["sources"] == []
    assert got["synonyms"] == got["antonyms"] == got["collocations"] == got["related"] == []
    assert (got["urls"], got["updated"]) == (urls("slope"), "2026-01-02")


def test_the_summary_in_lists_is_the_same_term(
    built: tuple[dict[str, TermEntry], Session],
) -> None:
    _, session = built
    page, next_cursor = queries.page_of_terms(session=session, after=None, limit=10, base_url=BASE)
    assert next_cursor is None
    assert [summary.id for summary in page] == ["chain-rule", "gradient", "saddle-point", "slope"]
    for summary in page:
        whole = public(session, summary.id)
        assert summary == TermSummary.model_validate(whole.model_dump())
    assert list(json.loads(page[1].model_dump_json())) == [
        "id",
        "title",
        "reading",
        "summary",
        "tags",
        "urls",
        "updated",
    ]
