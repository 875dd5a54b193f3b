"""The content lints (app/glossary/lints.py, mentions.py) on small real YAML: each finding at
its file:line:col with its message, nothing on a clean document, warnings that do not fail
`check` and errors that do, and the reciprocation rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import cli
from app.glossary import lints
from app.glossary.build import build_from_yaml
from app.glossary.loader import parse_glossary
from app.glossary.problems import GlossaryError, Problem, Report
from app.glossary.schema import TermEntry
from tests.conftest import YAML_HEAD, write

Relation = tuple[str, str | None]  # label, ref


def term(
    id: str,
    ja: str,
    en: str,
    *,
    aliases: tuple[str, ...] = (),
    body: str | None = None,
    **relations: list[Relation],
) -> str:
    """One term of the terms list, in block style; each relation a flow mapping on its line."""
    lines = [
        f"  - id: {id}",
        f"    title: {{ja: {ja}, en: {en}}}",
        "    reading: よみ",
        f"    aliases: [{', '.join(aliases)}]",
        "    summary: {ja: 説明, en: Summary}",
    ]
    if body is not None:
        lines += ["    body:", "      ja: |", *(f"        {line}" for line in body.split("\n"))]
    for kind, items in relations.items():
        lines.append(f"    {kind}:")
        for label, ref in items:
            lines.append(
                f"      - {{label: {label}, ref: {ref or 'null'}, note: {{ja: 注, en: N}}}}"
            )
    lines.append("    updated: 2026-11-27")
    return "\n".join(lines) + "\n"


GRADIENT = ("gradient", "勾配", "Gradient")
CHAIN = ("chain-rule", "連鎖律", "Chain rule")


def where(text: str, needle: str, nth: int = 1, skip: str = "") -> tuple[int, int]:
    """The 1-based line and column just after `skip` in the nth occurrence of needle."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    at += len(skip)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def lint(text: str) -> tuple[list[str], Report]:
    """Every finding of a valid document, errors and warnings together, in file order."""
    report = Report()
    try:
        parse_glossary(text.encode(), filename="g.yaml", report=report)
    except GlossaryError as error:
        return sorted(str(p) for p in [*error.problems, *report.warnings]), report
    return [str(p) for p in report.warnings], report


@pytest.fixture(autouse=True)
def as_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every relation lint a warning, whatever lints.py ships with; `strict` makes them errors."""
    monkeypatch.setattr(lints, "STRICT_RELATION_LINTS", False)
    monkeypatch.setattr(lints, "STRICT_LATIN_LABELS", False)


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch, as_warnings: None) -> None:
    monkeypatch.setattr(lints, "STRICT_RELATION_LINTS", True)
    monkeypatch.setattr(lints, "STRICT_LATIN_LABELS", True)


def test_a_clean_document_has_no_findings_and_every_relation_reciprocated() -> None:
    text = YAML_HEAD + term(*GRADIENT, related=[("連鎖律", "chain-rule")])
    text += term(*CHAIN, related=[("勾配", None)], body="[勾配](gradient)を使う。`連鎖律`")
    assert lint(text) == ([], Report(summary=["relations reciprocated: 2/2 (100%)"]))


def test_a_related_term_that_is_the_term_itself() -> None:
    text = YAML_HEAD + term(*GRADIENT, aliases=("勾配ベクトル",), related=[("勾配", None)])
    text += term(*CHAIN, collocations=[("チェインルール", None)], aliases=("チェインルール",))
    line, col = where(text, "label: 勾配,", skip="label: ")
    line2, col2 = where(text, "label: チェインルール", skip="label: ")
    assert lint(text)[0] == [
        f"g.yaml:{line}:{col}: warning: related term '勾配' is this term's own title;"
        " a term is not its own related term",
        f"g.yaml:{line2}:{col2}: warning: collocation 'チェインルール' is an alias of this term;"
        " a term is not its own collocation",
    ]


def test_synonyms_may_repeat_an_alias_but_not_link_to_the_term_itself() -> None:
    synonyms = [("勾配ベクトル", None), ("勾配", None)]
    text = YAML_HEAD + term(*GRADIENT, aliases=("勾配ベクトル",), synonyms=synonyms)
    assert lint(text)[0] == []
    text = YAML_HEAD + term(*GRADIENT, synonyms=[("傾き", "gradient")])
    line, col = where(text, "ref: gradient", skip="ref: ")
    assert lint(text)[0] == [f"g.yaml:{line}:{col}: a term cannot relate to itself; drop the ref"]


def test_the_relation_lints_are_errors_when_strict(strict: None) -> None:
    text = YAML_HEAD + term(*GRADIENT, related=[("勾配", None)])
    line, col = where(text, "label: 勾配", skip="label: ")
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text.encode(), filename="g.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"g.yaml:{line}:{col}: related term '勾配' is this term's own title;"
        " a term is not its own related term"
    ]


def test_an_antonym_that_is_also_an_alias_or_a_synonym() -> None:
    antonyms = [("勾配ベクトル", None), ("傾き", None), ("連鎖", "chain-rule")]
    synonyms = [("傾き", None), ("連鎖律", "chain-rule")]
    text = YAML_HEAD + term(*CHAIN, related=[("勾配", "gradient")])
    text += term(
        *GRADIENT, aliases=("勾配ベクトル",), synonyms=synonyms, antonyms=antonyms,
        related=[("連鎖律", None)],
    )  # fmt: skip
    alias = where(text, "label: 勾配ベクトル", skip="label: ")
    synonym_line = where(text, "label: 傾き")[0]
    synonym = where(text, "label: 傾き", nth=2, skip="label: ")
    ref_line = where(text, "ref: chain-rule")[0]
    ref = where(text, "ref: chain-rule", nth=2, skip="ref: ")
    assert lint(text)[0] == [
        f"g.yaml:{alias[0]}:{alias[1]}: warning: antonym '勾配ベクトル' is also an alias of this"
        " term; a word cannot be both",
        f"g.yaml:{synonym[0]}:{synonym[1]}: warning: antonym '傾き' is also a synonym of this"
        f" term (line {synonym_line}); a word cannot be both",
        f"g.yaml:{ref[0]}:{ref[1]}: warning: antonym '連鎖' links to 'chain-rule', and so does a"
        f" synonym of this term (line {ref_line}); a word cannot be both",
    ]


def test_a_relation_without_a_link_back_is_a_warning_and_counted() -> None:
    relu = ("relu", "ReLU", "ReLU")
    text = YAML_HEAD + term(*GRADIENT, related=[("連鎖律", "chain-rule"), ("ReLU", None)])
    text += term(*CHAIN, collocations=[("勾配", None)]) + term(*relu)
    line, col = where(text, "label: ReLU", skip="label: ")
    findings, report = lint(text)
    assert findings == [
        f"g.yaml:{line}:{col}: warning: 'relu' has no relation back to 'gradient'; add one there"
    ]
    assert report.summary == ["relations reciprocated: 2/3 (67%)"]


def test_a_latin_label_for_a_term_with_a_japanese_title() -> None:
    related = [("Chain rule", None), ("ReLU", "relu"), ("AdaGrad", None)]
    text = YAML_HEAD + term(*GRADIENT, related=related)
    text += term(*CHAIN) + term("relu", "ReLU", "ReLU", collocations=[("Leaky ReLU", None)])
    chain = where(text, "label: Chain rule", skip="label: ")
    adagrad = where(text, "label: AdaGrad", skip="label: ")
    findings = [f for f in lint(text)[0] if "Latin" in f]
    advice = "the label shown on Japanese pages must be Japanese; put the English in label_en"
    assert findings == [
        f"g.yaml:{chain[0]}:{chain[1]}: warning: label 'Chain rule' is in Latin letters, but"
        f" 'chain-rule' has a Japanese title: {advice}",
        f"g.yaml:{adagrad[0]}:{adagrad[1]}: warning: label 'AdaGrad' is in Latin letters, but"
        f" this term has a Japanese title: {advice}",
    ]


def test_a_latin_label_stops_the_build_only_when_strict(tmp_path: Path, strict: None) -> None:
    path = write(
        tmp_path, YAML_HEAD + term(*GRADIENT, related=[("Chain rule", None)]) + term(*CHAIN)
    )
    with pytest.raises(GlossaryError) as caught:
        build_from_yaml(path, tmp_path / "g.sqlite")
    (problem,) = caught.value.problems
    assert problem.severity == "error" and "label 'Chain rule' is in Latin letters" in str(problem)
    assert not (tmp_path / "g.sqlite").exists()


def test_warnings_never_stop_the_build(tmp_path: Path, strict: None) -> None:
    text = YAML_HEAD + term(*GRADIENT, related=[("連鎖律", None)]) + term(*CHAIN, body="勾配。")
    assert len(lint(text)[0]) == 2  # no link back, and an unlinked mention
    build_from_yaml(write(tmp_path, text), tmp_path / "g.sqlite")
    assert (tmp_path / "g.sqlite").exists()


def test_the_build_keeps_only_what_errors_need(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = TermEntry.model_validate(
        {
            "id": "gradient",
            "title": {"ja": "勾配", "en": "Gradient"},
            "reading": "こうばい",
            "aliases": ["勾配ベクトル", "grad"],
            "summary": {"ja": "説明", "en": "Summary"},
            "body": {"ja": "連鎖律"},
            "related": [{"label": "連鎖律", "note": {"ja": "注", "en": "N"}}],
            "updated": "2026-11-27",
        }
    )

    def collected(everything: bool) -> lints.Collector:
        collector = lints.Collector(everything=everything)
        collector.add(entry, ("terms", 0), lambda path: (1, 1))
        return collector

    assert collected(False) == lints.Collector(everything=False)  # nothing at all
    monkeypatch.setattr(lints, "STRICT_LATIN_LABELS", True)
    build = collected(False)  # the names in Latin letters only, for the Latin-label lint
    assert (build.titles, build.aliases) == ({"Gradient": "gradient"}, {"grad": "gradient"})
    assert (build.links, build.bodies, build.ids) == ([], [], set())
    check = collected(True)
    assert len(check.titles) == 2 and len(check.links) == 1 and len(check.bodies) == 1


BODY = """\
## 勾配の話

勾配を使うと`連鎖律`で計算できる。勾配は二度目。
[連鎖律](chain-rule)はもう

```
誤差
```
誤差伝播の誤差と逆伝播"""


def test_an_unlinked_mention_in_a_body_is_located_in_the_file() -> None:
    error = ("error", "誤差", "Error")
    backprop = ("backpropagation", "誤差伝播", "Backpropagation")
    text = YAML_HEAD + term(*CHAIN, body=BODY, aliases=("逆伝播",)) + term(*GRADIENT)
    text += term(*error) + term(*backprop)
    first = where(text, "勾配を使う")
    backprop_at = where(text, "誤差伝播の")
    error_at = where(text, "誤差と")
    assert lint(text)[0] == [
        f"g.yaml:{first[0]}:{first[1]}: warning: terms[0].body.ja: body mentions 勾配"
        " (gradient); link it as [勾配](gradient)",
        f"g.yaml:{backprop_at[0]}:{backprop_at[1]}: warning: terms[0].body.ja: body mentions"
        " 誤差伝播 (backpropagation); link it as [誤差伝播](backpropagation)",
        f"g.yaml:{error_at[0]}:{error_at[1]}: warning: terms[0].body.ja: body mentions 誤差"
        " (error); link it as [誤差](error)",
    ]


def test_a_mention_in_a_quoted_body_is_placed_at_the_body() -> None:
    text = (
        YAML_HEAD
        + term(*CHAIN)
        + term(*GRADIENT).replace(
            "    updated", '    body: {ja: "前置き\\n\\n連鎖律を使う。"}\n    updated'
        )
    )
    line, col = where(text, '"前置き')
    assert lint(text)[0] == [
        f"g.yaml:{line}:{col}: warning: terms[1].body.ja: body mentions 連鎖律 (chain-rule) on"
        " line 3 of the text; link it as [連鎖律](chain-rule)"
    ]


def test_english_titles_are_whole_words_in_any_case() -> None:
    text = (
        YAML_HEAD
        + term(*GRADIENT)
        + term(*CHAIN).replace(
            "    updated",
            "    body: {ja: 本文, en: 'Subgradients and gradients, then Gradient.'}\n    updated",
        )
    )
    line, col = where(text, "'Subgradients")
    assert lint(text)[0] == [
        f"g.yaml:{line}:{col}: warning: terms[1].body.en: body mentions Gradient (gradient) on"
        " line 1 of the text; link it as [Gradient](gradient)"
    ]


def test_a_one_character_title_is_not_looked_for() -> None:
    text = YAML_HEAD + term("x", "差", "D") + term(*GRADIENT, body="差がある。D is here.")
    assert lint(text)[0] == []


def run_check(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["check", str(path), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_check_passes_with_warnings_and_fails_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, YAML_HEAD + term(*GRADIENT, related=[("連鎖律", None)]) + term(*CHAIN))
    line, col = where(path.read_text(encoding="utf-8"), "label: 連鎖律", skip="label: ")
    status, out, err = run_check(path, capsys)
    assert status == 0
    assert err.splitlines() == [
        f"glossary.yaml:{line}:{col}: warning: 'chain-rule' has no relation back to 'gradient';"
        " add one there",
        "1 warning",
    ]
    assert out.splitlines() == ["relations reciprocated: 0/1 (0%)", f"{path}: ok, 2 terms"]
    assert run_check(path, capsys, "--strict")[0] == 1


def test_check_fails_on_errors_and_counts_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], strict: None
) -> None:
    related = [("勾配", None), ("連鎖律", "chain-rul")]
    path = write(tmp_path, YAML_HEAD + term(*GRADIENT, related=related) + term(*CHAIN, body="勾配"))
    status, out, err = run_check(path, capsys)
    assert status == 1
    lines = err.splitlines()
    assert [line.split(": ", 1)[1] for line in lines[:-1]] == [
        "related term '勾配' is this term's own title; a term is not its own related term",
        "ref 'chain-rul' names no term (did you mean 'chain-rule'?)",
        "warning: terms[1].body.ja: body mentions 勾配 (gradient); link it as [勾配](gradient)",
    ]
    assert lines[-1] == "2 problems, 1 warning"
    assert out.splitlines() == ["relations reciprocated: 0/0"]


def test_a_warning_is_printed_as_one() -> None:
    assert str(Problem("g.yaml", 3, 7, "look", "warning")) == "g.yaml:3:7: warning: look"
    assert str(Problem("g.yaml", 3, 7, "wrong")) == "g.yaml:3:7: wrong"
