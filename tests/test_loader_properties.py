"""Property tests for the YAML loader: whatever document it is given — random text, random
bytes, random YAML tokens, random structures dumped as YAML, a valid glossary with random
mutations — it either loads it or raises a GlossaryError whose every problem has a line ≥ 1,
a column ≥ 1 and a one-line message. No other exception escapes.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.glossary.loader import parse_glossary
from app.glossary.problems import GlossaryError
from app.glossary.schema import Glossary

FILENAME = "glossary.yaml"
LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # YAML's line breaks
SETTINGS = settings(
    deadline=None,
    max_examples=400,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(data: bytes) -> Glossary | None:
    """Load data; any problem must be located and worded on one line."""
    try:
        return parse_glossary(data, filename=FILENAME)
    except GlossaryError as error:
        assert error.problems, "a GlossaryError with no problem in it"
        text = data.decode("utf-8", errors="replace")
        lines = len(LINE_BREAKS.findall(text)) + 1
        for problem in error.problems:
            assert problem.file == FILENAME
            assert 1 <= problem.line <= lines + 1, (problem, lines)
            assert problem.col >= 1, problem
            assert problem.message.strip(), problem
            assert "\n" not in problem.message, problem
        return None


VALID: dict[str, Any] = {
    "version": 1,
    "site": {
        "title": {"ja": "用語集", "en": "Glossary"},
        "description": {"ja": "説明", "en": "Description"},
    },
    "tags": {"ml": {"ja": "機械学習", "en": "Machine learning"}},
    "terms": [
        {
            "id": "gradient",
            "title": {"ja": "勾配", "en": "Gradient"},
            "reading": "こうばい",
            "aliases": ["グラディエント"],
            "tags": ["ml"],
            "summary": {"ja": "傾き。", "en": "The slope."},
            "body": {"ja": "## 定義\n\n**勾配**は `∇f` と書く。", "en": "Written `∇f`."},
            "senses": [
                {
                    "id": "math",
                    "title": {"ja": "数学", "en": "Mathematics"},
                    "summary": {"ja": "偏微分の組。", "en": "The partial derivatives."},
                }
            ],
            "related": [
                {
                    "label": "連鎖律",
                    "ref": "chain-rule",
                    "note": {"ja": "注", "en": "Note"},
                    "sense": "math",
                }
            ],
            "sources": [{"title": "Wikipedia", "url": "https://en.wikipedia.org/wiki/Gradient"}],
            "updated": dt.date(2026, 11, 27),
        },
        {
            "id": "chain-rule",
            "title": {"ja": "連鎖律", "en": "Chain rule"},
            "reading": "れんさりつ",
            "summary": {"ja": "合成関数の微分。", "en": "Differentiating a composition."},
            "updated": dt.date(2026, 11, 26),
        },
    ],
}


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def test_the_valid_document_loads() -> None:
    glossary = check(dump(VALID))
    assert glossary is not None and [t.id for t in glossary.terms] == ["gradient", "chain-rule"]


# ── Random text and bytes ──────────────────────────────────────────────────────────────────


@SETTINGS
@given(st.text())
def test_any_text(text: str) -> None:
    check(text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    check(data)


TOKENS = [
    "version: 1\n", "site:", "terms:", "tags:", "id:", "title:", "ja:", "en:", "reading:",
    "summary:", "updated:", " ", "  ", "\n", "\n  ", "\n    ", "\t", "- ", "-", ":", ": ", ",",
    "[", "]", "{", "}", "'", '"', "#", "|", ">", "|-", "? ", "<<: ", "&a ", "*a", "&b ", "*b",
    "!!str ", "!!int ", "!!binary ", "!!timestamp ", "!!set ", "!!python/object ", "!custom ",
    "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "~", "null", "true", "0x1F",
    "0o17", "1e999", ".nan", "2026-13-01", "2026-11-27", "こうばい", "勾配", "\ufeff", "\x00",
    "\x85", "\u2028", "\x1b", "\\", "\\x", "\\u12", "\U0001f600", "gradient", "chain-rule",
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_any_sequence_of_yaml_tokens(text: str) -> None:
    check(text.encode("utf-8", errors="surrogatepass"))


# ── Random structures, dumped as YAML ─────────────────────────────────────────────────────

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates()
    | st.sampled_from(["こうばい", "コウバイ", "gradient", "Bad_Id", "", " ", "<b>x</b>"])
)
KEYS = st.sampled_from(
    ["version", "site", "terms", "tags", "id", "title", "ja", "en", "reading", "summary",
     "body", "senses", "synonyms", "related", "ref", "note", "label", "sources", "url",
     "updated", "sumary", "titel"]
) | st.text(max_size=8)  # fmt: skip
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)


@SETTINGS
@given(st.dictionaries(KEYS, STRUCTURES, max_size=6))
def test_any_mapping_dumped_as_yaml(data: dict[str, Any]) -> None:
    check(dump(data))


@SETTINGS
@given(STRUCTURES)
def test_any_structure_dumped_as_yaml(data: Any) -> None:
    check(dump(data))


# ── Mutations of a valid glossary ──────────────────────────────────────────────────────────


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside node."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    """data with one change at path: its value replaced, deleted, duplicated or widened."""
    data = copy.deepcopy(data)
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif action == "extra" and isinstance(parent[last], dict):
        parent[last][value if isinstance(value, str) else "extra"] = value
    return data


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data: Any = VALID
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths(data)))
        action = draw(st.sampled_from(["replace", "delete", "duplicate", "extra"]))
        data = mutate(data, path, action, draw(STRUCTURES))
    return data


@settings(SETTINGS, max_examples=600)
@given(mutated())
def test_any_mutation_of_a_valid_glossary(data: Any) -> None:
    check(dump(data))


VALID_TEXT = dump(VALID).decode()


@st.composite
def edited_text(draw: st.DrawFn) -> str:
    """The valid file with a few characters inserted, deleted or replaced."""
    text = VALID_TEXT
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        removed = draw(st.integers(0, 3))
        inserted = draw(st.sampled_from(TOKENS) | st.text(max_size=3))
        text = text[:at] + inserted + text[at + removed :]
    return text


@settings(SETTINGS, max_examples=600)
@given(edited_text())
def test_any_edit_of_a_valid_file(text: str) -> None:
    check(text.encode("utf-8", errors="surrogatepass"))
