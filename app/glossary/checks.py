"""Rules beyond one field: unique ids, refs that name a term, known senses and tags; article
bodies that would not render as written (raw HTML, javascript: or data: links); and the
content lints of lints.py.

Terms are checked one at a time as they are read (check_term); what the whole-document rules
need of them is kept in a small Seen record, checked once the file is read (cross_check).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.glossary import lints
from app.glossary.problems import Problem
from app.glossary.schema import TermEntry
from app.glossary.yamlnodes import Located
from app.text import markdown

Position = tuple[int, int]


@dataclass
class Seen:
    """Of every term read so far: its id, its tags and its refs to other terms, with positions."""

    ids: list[tuple[str, Position]] = field(default_factory=list)  # as written, valid or not
    tags: list[tuple[str, Position]] = field(default_factory=list)
    refs: list[tuple[str, Position]] = field(default_factory=list)
    lints: lints.Collector = field(default_factory=lambda: lints.Collector(everything=False))


def note_id(raw: Any, index: int, located: Located, seen: Seen) -> None:
    """Remember a term's id, even when the term is invalid, so refs to it still resolve."""
    term_id = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(term_id, str):
        seen.ids.append((term_id, located.mark(("terms", index, "id"))))


def check_term(
    term: TermEntry, index: int, located: Located, seen: Seen, *, filename: str, part: bool
) -> list[Problem]:
    """The problems of one valid term on its own; note what the whole-document rules need."""
    problems: list[Problem] = []
    at: tuple[str | int, ...] = ("terms", index)

    def add(path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(filename, *located.mark(path), message))

    seen.tags.extend((tag, located.mark((*at, "tags", i))) for i, tag in enumerate(term.tags))
    for lang, text in (("ja", term.body.ja), ("en", term.body.en)) if term.body else ():
        for message in markdown.problems(text or ""):
            add((*at, "body", lang), f"terms[{index}].body.{lang}: {message}")
    sense_ids = {sense.id for sense in term.senses}
    for kind, i, relation in term.relations():
        place = (*at, kind, i)
        if relation.ref == term.id:
            add((*place, "ref"), "a term cannot relate to itself; drop the ref")
        elif relation.ref is not None and not part:
            seen.refs.append((relation.ref, located.mark((*place, "ref"))))
        if relation.sense is not None and relation.sense not in sense_ids:
            add((*place, "sense"), f"sense {relation.sense!r} is not one of this term's senses")
    problems += lints.own_names(term, at, located.mark, filename)
    problems += lints.antonym_conflicts(term, at, located.mark, filename)
    seen.lints.add(term, at, located.mark)
    return problems


def cross_check(seen: Seen, *, tags: Mapping[str, object], filename: str) -> list[Problem]:
    """Every whole-document problem: duplicate ids, unknown tags, refs that name no term, and
    the whole-document lints."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for term_id, (line, col) in seen.ids:
        if term_id in first_line:
            message = f"duplicate id {term_id!r} (first at line {first_line[term_id]})"
            problems.append(Problem(filename, line, col, message))
        else:
            first_line[term_id] = line
    if tags:
        for tag, position in seen.tags:
            if tag not in tags:
                message = f"unknown tag {tag!r}; add it under the top-level tags"
                problems.append(Problem(filename, *position, message))
    known_ids = list(first_line)
    for ref, position in seen.refs:
        if ref not in first_line:
            hint = difflib.get_close_matches(ref, known_ids, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(Problem(filename, *position, f"ref {ref!r} names no term{suggestion}"))
    problems += seen.lints.finish(filename)
    return problems
