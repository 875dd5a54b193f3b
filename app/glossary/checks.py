"""Rules that need the whole glossary: unique ids, refs that name a term, known senses and tags;
and article bodies that would not render as written (raw HTML, javascript: or data: links)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from app import markdown
from app.glossary.problems import Problem
from app.glossary.schema import Glossary
from app.glossary.yamlnodes import Located


def cross_check(
    glossary: Glossary,
    *,
    raw_indexes: Sequence[int],
    located: Located,
    filename: str,
    part: bool,
) -> list[Problem]:
    """Every whole-document problem, located at the value it concerns.

    raw_indexes[k] is the position in the YAML list of glossary.terms[k] (terms that
    failed validation are missing from glossary.terms but keep their ids for refs).
    """
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(filename, *located.mark(path), message))

    data = located.data if isinstance(located.data, dict) else {}
    terms_value = data.get("terms")
    raw_terms: list[Any] = terms_value if isinstance(terms_value, list) else []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(raw_terms):
        term_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(term_id, str):
            continue
        where = ("terms", index, "id")
        if term_id in first_line:
            add(where, f"duplicate id {term_id!r} (first at line {first_line[term_id]})")
        else:
            first_line[term_id] = located.mark(where)[0]
    known_ids = list(first_line)

    for raw_index, term in zip(raw_indexes, glossary.terms, strict=True):
        at: tuple[str | int, ...] = ("terms", raw_index)
        if glossary.tags:
            for i, tag in enumerate(term.tags):
                if tag not in glossary.tags:
                    add((*at, "tags", i), f"unknown tag {tag!r}; add it under the top-level tags")
        for lang, text in (("ja", term.body.ja), ("en", term.body.en)) if term.body else ():
            for message in markdown.problems(text or ""):
                add((*at, "body", lang), f"terms[{raw_index}].body.{lang}: {message}")
        sense_ids = {sense.id for sense in term.senses}
        for kind, i, relation in term.relations():
            place = (*at, kind, i)
            if relation.ref == term.id:
                add((*place, "ref"), "a term cannot relate to itself; drop the ref")
            elif relation.ref is not None and relation.ref not in first_line and not part:
                hint = difflib.get_close_matches(relation.ref, known_ids, n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
                add((*place, "ref"), f"ref {relation.ref!r} names no term{suggestion}")
            if relation.sense is not None and relation.sense not in sense_ids:
                add((*place, "sense"), f"sense {relation.sense!r} is not one of this term's senses")
    return problems
