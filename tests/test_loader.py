"""The YAML loader: the bundled glossary loads; every kind of mistake is reported as
file:line:col: message, all of them in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.glossary.loader import load_glossary, parse_glossary
from app.glossary.problems import GlossaryError
from tests.conftest import GLOSSARY

HEAD = """\
version: 1
site:
  title: {ja: 用語集, en: Glossary}
  description: {ja: 説明, en: Description}
tags:
  ml: {ja: 機械学習, en: Machine learning}
terms:
"""

TERM = """\
  - id: {id}
    title: {{ja: {ja}, en: {en}}}
    reading: {reading}
    tags: [ml]
    summary: {{ja: 説明, en: Summary}}
    updated: 2026-11-27
"""


def term(
    id: str = "gradient", ja: str = "勾配", en: str = "Gradient", reading: str = "こうばい"
) -> str:
    return TERM.format(id=id, ja=ja, en=en, reading=reading)


def problems(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(data, filename="glossary.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_the_bundled_glossary_loads_with_every_seed_entry() -> None:
    glossary = load_glossary(GLOSSARY)
    assert len(glossary.terms) >= 60
    backprop = next(t for t in glossary.terms if t.id == "backpropagation")
    assert (len(backprop.synonyms), len(backprop.antonyms)) == (7, 6)
    assert (len(backprop.collocations), len(backprop.related)) == (29, 38)
    assert {s.id for s in backprop.senses} == {"neural-networks", "measurement"}
    assert all(c.sense for c in backprop.collocations)
    assert backprop.body is not None and backprop.body.en
    assert "梯度" not in GLOSSARY.read_text(encoding="utf-8")


def test_a_small_valid_file_loads() -> None:
    glossary = parse_glossary((HEAD + term()).encode(), filename="g.yaml")
    assert [t.id for t in glossary.terms] == ["gradient"]
    assert glossary.terms[0].title.en == "Gradient"


def test_a_syntax_error_is_located() -> None:
    assert problems(HEAD + "  - id: [unclosed\n") == [
        "glossary.yaml:9:1: YAML syntax: did not find expected ',' or ']'"
        " (while parsing a flow sequence at line 8, column 9)"
    ]


def test_a_tab_is_reported_with_a_hint() -> None:
    (message,) = problems(HEAD + "  - id: x\n\ttitle: y\n")
    assert message.startswith("glossary.yaml:9:1: YAML syntax:")
    assert "tabs" in message


def test_a_byte_order_mark_is_accepted() -> None:
    glossary = parse_glossary(b"\xef\xbb\xbf" + (HEAD + term()).encode(), filename="g.yaml")
    assert len(glossary.terms) == 1


def test_invalid_utf8_is_located_at_the_byte() -> None:
    data = (HEAD + term()).encode().replace("勾配".encode(), b"\xff\xfe", 1)
    assert problems(data) == [
        "glossary.yaml:9:17: not valid UTF-8 (byte 0xff); save the file as UTF-8"
    ]


def test_an_empty_file() -> None:
    assert problems("") == ["glossary.yaml:1:1: the file is empty"]
    assert problems("# only a comment\n") == ["glossary.yaml:1:1: the file is empty"]


def test_the_wrong_top_level_shape() -> None:
    assert problems("- a\n- b\n") == [
        "glossary.yaml:1:1: the top level must be a mapping with version, site and terms"
    ]


def test_an_unknown_field_suggests_the_near_name() -> None:
    text = HEAD + term().replace("    summary:", "    sumary:")
    assert (
        "glossary.yaml:12:5: terms[0].sumary: unknown field 'sumary' (did you mean 'summary'?)"
        in problems(text)
    )


def test_a_missing_field_and_a_missing_translation() -> None:
    no_english = term().replace(", en: Gradient", "")
    no_summary = term(id="b").replace("    summary: {ja: 説明, en: Summary}\n", "")
    assert problems(HEAD + no_english + no_summary) == [
        "glossary.yaml:9:12: terms[0].title.en: required field is missing",
        "glossary.yaml:14:5: terms[1].summary: required field is missing",
    ]


def test_wrong_types_are_named() -> None:
    text = HEAD + term().replace("tags: [ml]", "tags: ml")
    assert problems(text) == ["glossary.yaml:11:11: terms[0].tags: input should be a valid list"]


def test_duplicate_ids_point_at_both() -> None:
    assert problems(HEAD + term() + term()) == [
        "glossary.yaml:14:9: duplicate id 'gradient' (first at line 8)"
    ]


def test_duplicate_mapping_keys_are_not_silently_merged() -> None:
    text = HEAD + term().replace("    tags: [ml]\n", "    tags: [ml]\n    tags: [ml]\n")
    assert problems(text) == ["glossary.yaml:12:5: duplicate key 'tags' (first at line 11)"]


def test_an_id_in_the_wrong_format() -> None:
    assert problems(HEAD + term(id="Chain_Rule")) == [
        "glossary.yaml:8:9: terms[0].id: must be lower-case letters, digits and single hyphens"
        " (like 'chain-rule')"
    ]


def test_a_ref_that_names_no_term_suggests_one() -> None:
    relation = "    related:\n      - {label: 勾配, ref: gradiant, note: {ja: 注, en: Note}}\n"
    text = HEAD + term() + term(id="chain-rule", ja="連鎖律", en="Chain rule", reading="れんさりつ")
    text = text.rstrip("\n") + "\n" + relation
    assert problems(text) == [
        "glossary.yaml:21:26: ref 'gradiant' names no term (did you mean 'gradient'?)"
    ]


def test_a_term_cannot_relate_to_itself() -> None:
    relation = "    related:\n      - {label: 勾配, ref: gradient, note: {ja: 注, en: Note}}\n"
    assert problems(HEAD + term() + relation) == [
        "glossary.yaml:15:26: a term cannot relate to itself; drop the ref"
    ]


def test_a_reading_must_be_hiragana() -> None:
    assert problems(HEAD + term(reading="コウバイ")) == [
        "glossary.yaml:10:14: terms[0].reading: reading 'コウバイ' must be written in hiragana"
    ]


def test_an_unknown_tag_and_an_impossible_date() -> None:
    text = HEAD + term().replace("[ml]", "[ml, physics]").replace("2026-11-27", "2026-13-01")
    found = problems(text)
    assert "glossary.yaml:13:14: '2026-13-01' is not a valid value: month must be in 1..12" in found


def test_every_problem_is_reported_in_one_run() -> None:
    text = HEAD + term(id="Bad") + term(id="ok", reading="カタカナ") + term(id="ok")
    found = problems(text)
    assert len(found) == 3
    assert [m.split(":")[1] for m in found] == ["8", "16", "20"]


def test_an_alias_bomb_fails_fast() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    found = problems("\n".join(lines) + "\n")
    assert any("alias" in message for message in found)


def test_deep_nesting_fails_fast() -> None:
    found = problems("x: " + "[" * 200 + "]" * 200 + "\n")
    assert any("nesting deeper than" in message for message in found)


def test_a_missing_file_is_a_located_problem(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as caught:
        load_glossary(tmp_path / "nope.yaml")
    assert str(caught.value).startswith("nope.yaml:1:1: cannot read the file")
