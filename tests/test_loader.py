"""The YAML loader: the bundled glossary loads; every kind of mistake is reported as
file:line:col: message, all of them in one run."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.glossary import loader
from app.glossary.loader import MAX_FILE_BYTES, load_glossary, parse_glossary
from app.glossary.problems import GlossaryError
from app.main import create_app
from app.settings import Settings
from app.text.markdown import render
from tests.conftest import GLOSSARY
from tests.conftest import YAML_HEAD as HEAD

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


def test_the_bundled_glossary_loads_with_both_senses() -> None:
    """The source lists themselves are pinned in tests/test_glossary_content.py."""
    glossary = load_glossary(GLOSSARY)
    assert len(glossary.terms) >= 110
    backprop = next(t for t in glossary.terms if t.id == "backpropagation")
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


# ── Added for issue 8: every kind of mistake, and bounded resources ───────────────────────


def test_missing_japanese_text_is_named() -> None:
    no_japanese = term().replace("{ja: 勾配, ", "{")
    assert problems(HEAD + no_japanese) == [
        "glossary.yaml:9:12: terms[0].title.ja: required field is missing"
    ]


def test_a_utf16_file_is_not_utf8() -> None:
    data = b"\xff\xfe" + (HEAD + term()).encode("utf-16-le")
    assert problems(data) == [
        "glossary.yaml:1:1: not valid UTF-8 (byte 0xff); save the file as UTF-8"
    ]


BODY = """\
    body:
      ja: |
        ## 見出し

        本文に <b>太字</b> と `<code>` と <https://example.org> と a < b、i<j。

        <!-- メモ -->
      en: "[ok](chain-rule), [mail](mailto:a@example.org), [web](https://example.org)"
"""


def test_markdown_that_would_show_raw_html_is_reported() -> None:
    html = "raw HTML is not allowed (found {} on line {} of the text; it would be shown as"
    found = problems(HEAD + term() + BODY)
    assert [message.split(" written:")[0] for message in found] == [
        "glossary.yaml:15:11: terms[0].body.ja: " + html.format("'<!-- メモ -->'", 5),
        "glossary.yaml:15:11: terms[0].body.ja: " + html.format("'</b>'", 3),
        "glossary.yaml:15:11: terms[0].body.ja: " + html.format("'<b>'", 3),
    ]  # code spans, autolinks and a bare "<" are not HTML; the English links are all fine


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "</script>",
        "x<br/>y",
        "<img src=x onerror=alert(1)>",
        '"><img src=x onerror=alert(1)>',
        "<!DOCTYPE html>",
        "<?php echo 1; ?>",
        "<div\nclass=x>",
    ],
)
def test_every_kind_of_html_is_raw_html(markdown: str) -> None:
    body = f"    body: {{ja: {json.dumps(markdown, ensure_ascii=False)}}}\n"
    (message,) = problems(HEAD + term() + body)
    assert message.startswith("glossary.yaml:14:16: terms[0].body.ja: raw HTML is not allowed")


@pytest.mark.parametrize(
    ("markdown", "url"),
    [
        ("[click](javascript:alert(1))", "javascript:alert(1)"),
        ("[click](JavaScript:alert(1))", "JavaScript:alert(1)"),
        ("[click](<javascript:alert(1)>)", "javascript:alert(1)"),
        ("<javascript:alert(1)>", "javascript:alert(1)"),
        ("[click][r]\n\n[r]: vbscript:x", "vbscript:x"),
        ("[click](data:text/html,<script>alert(1)</script>)", "data:text/html,%3Cscript%3Ea"),
        ("![pixel](data:image/png;base64,AAAA)", "data:image/png;base64,AAAA"),
        ("[file](file:///etc/passwd)", "file:///etc/passwd"),
    ],
)
def test_javascript_and_data_links_are_reported(markdown: str, url: str) -> None:
    body = f"    body: {{ja: 本文, en: {json.dumps(markdown)}}}\n"
    (message,) = problems(HEAD + term() + body)
    assert message.startswith(
        f"glossary.yaml:14:24: terms[0].body.en: a link to '{url}"
    ) or message.startswith(f"glossary.yaml:14:24: terms[0].body.en: an image from '{url}")
    assert "is not allowed" in message and "only http, https, mailto" in message


def test_markdown_without_html_loads_and_renders_as_written() -> None:
    text = HEAD + term() + BODY.replace("<b>太字</b>", "**太字**").replace("<!-- メモ -->", "")
    body = parse_glossary(text.encode(), filename="g.yaml").terms[0].body
    assert body is not None and body.en is not None
    ja, en = render(body.ja).html, render(body.en).html
    assert "<code>&lt;code&gt;</code>" in ja and "a &lt; b、i&lt;j" in ja
    assert '<a href="https://example.org" rel="noopener">https://example.org</a>' in ja
    assert '<a href="chain-rule">ok</a>' in en and '<a href="mailto:a@example.org">' in en


@contextmanager
def bounded_memory(megabytes: float) -> Iterator[None]:
    """Assert the block's peak of Python allocations stays under `megabytes`."""
    tracemalloc.start()
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < megabytes * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return HEAD.replace("terms:\n", "\n".join(lines) + "\nterms:\n") + term()


def test_an_alias_bomb_is_refused_in_bounded_memory() -> None:
    with bounded_memory(megabytes=50):
        found = problems(billion_laughs())  # 9**10 ≈ 3.5 billion strings if expanded
    assert found == ["glossary.yaml:12:10: aliases expand to too many values (an alias bomb?)"]


def test_an_alias_bomb_of_one_long_string_is_refused_in_bounded_memory() -> None:
    """A long scalar repeated by aliases would build a database thousands of times the file."""
    long_alias = "あ" * 100_000
    text = HEAD + term() + f"    aliases: [&big {long_alias}, " + ", ".join(["*big"] * 5000) + "]\n"
    with bounded_memory(megabytes=50):
        found = problems(text)
    assert found == ["glossary.yaml:14:100082: aliases expand to too much text (an alias bomb?)"]


def test_aliases_within_reason_are_fine() -> None:
    note = "{label: 勾配, note: &note {ja: 同じ注, en: Same note}}"
    again = "{label: 傾き, note: *note}"
    text = HEAD + term() + f"    synonyms: [{note}, {again}]\n"
    glossary = parse_glossary(text.encode(), filename="g.yaml")
    assert [s.note.en for s in glossary.terms[0].synonyms] == ["Same note", "Same note"]


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 65 + "]" * 65,  # just past the limit
        "[" * 100_000 + "]" * 100_000,  # the parser's own limit
        "{a: " * 100_000 + "}" * 100_000,
        "\n" + "".join(f"{' ' * 2 * i}k:\n" for i in range(1, 200)) + " " * 400 + "v: 1",
    ],
    ids=["65-levels", "flow-sequences", "flow-mappings", "block-mappings"],
)
def test_deep_nesting_is_refused_in_bounded_memory(nested: str) -> None:
    with bounded_memory(megabytes=50):
        (message,) = problems("x: " + nested + "\n")
    assert "nesting deeper than 64 levels" in message or "maximum nesting depth" in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written to the disk
    with bounded_memory(megabytes=5), pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert str(caught.value) == "huge.yaml:1:1: the file is larger than 64 MB"


def test_bytes_over_the_size_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    with bounded_memory(megabytes=10):
        found = problems(b"#" * (2 * 1024 * 1024 + 1))
    assert found == ["glossary.yaml:1:1: the file is larger than 2 MB"]


def test_the_server_refuses_to_start_on_an_alias_bomb(tmp_path: Path) -> None:
    data = tmp_path / "glossary.yaml"
    data.write_text(billion_laughs(), encoding="utf-8")
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0)
    with bounded_memory(megabytes=50), pytest.raises(GlossaryError) as caught:
        with TestClient(create_app(settings)):
            pass  # pragma: no cover
    assert "aliases expand to too many values" in str(caught.value)
    assert not (tmp_path / "g.sqlite").exists()


@pytest.mark.parametrize("kind", ["too-large", "deep", "alias-bomb"])
def test_a_reload_past_a_limit_keeps_the_last_good_data(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "glossary.yaml"
    data.write_text(HEAD + term(), encoding="utf-8")
    settings = Settings(data=data, db=tmp_path / "g.sqlite", reload_interval=0.05)
    expected = {
        "too-large": "glossary.yaml:1:1: the file is larger than 64 MB",
        "deep": "glossary.yaml:1:68: nesting deeper than 64 levels",
        "alias-bomb": "glossary.yaml:12:10: aliases expand to too many values (an alias bomb?)",
    }[kind]
    with TestClient(create_app(settings)) as client:
        version = client.get("/healthz").json()["data_version"]
        if kind == "too-large":
            with data.open("r+b") as handle:
                handle.truncate(MAX_FILE_BYTES + 1)
        else:
            deep = "x: " + "[" * 70 + "]" * 70 + "\n"
            data.write_text(deep if kind == "deep" else billion_laughs(), encoding="utf-8")
        deadline = time.monotonic() + 10
        while (health := client.get("/healthz").json())["status"] != "stale":
            assert time.monotonic() < deadline, "the reload was not refused in time"
            time.sleep(0.05)
        assert health["reload_problems"] == [expected]
        assert health["data_version"] == version
        assert "<h1>Gradient</h1>" in client.get("/en/terms/gradient").text
