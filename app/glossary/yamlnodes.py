"""Turn YAML text into plain Python data while remembering where every value stood.

PyYAML's composer gives a node tree with marks; we walk it ourselves so that duplicate
mapping keys, alias bombs and deep nesting are caught, and so every later error can be
reported at the line and column of the value it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C composer is much faster on large files; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from app.glossary.problems import Problem

Path = tuple[str | int, ...]

MAX_DEPTH = 64
# A glossary has no use for aliases beyond a few; a document whose aliases keep
# expanding (a "billion laughs") is stopped after this many repeated visits.
MAX_ALIAS_VISITS = 10_000


@dataclass
class Located:
    """Plain data plus the (line, column) of each value and each mapping key, by path."""

    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def mark(self, path: Path) -> tuple[int, int]:
        """The position of the deepest known value on the path (1-based line and column)."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def key_mark(self, path: Path) -> tuple[int, int]:
        """The position of the key that holds path, or of the value when there is no key."""
        return self.key_marks.get(path) or self.mark(path)


class _Walker:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.located = Located(data=None)
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()
        self.alias_visits = 0

    def problem(self, node: yaml.Node, message: str) -> None:
        line, col = _position(node)
        self.problems.append(Problem(self.filename, line, col, message))

    def walk(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if id(node) in self.seen:
            self.alias_visits += 1
            if self.alias_visits > MAX_ALIAS_VISITS:
                raise _TooLarge(node, "aliases expand to too many values (an alias bomb?)")
        elif not isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _TooLarge(node, f"nesting deeper than {MAX_DEPTH} levels")
        self.located.marks[path] = _position(node)
        if isinstance(node, yaml.MappingNode):
            return self.walk_mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            self.problem(node, error.problem or "value cannot be read")
        except ValueError as error:  # e.g. a date such as 2026-13-01
            self.problem(node, f"{node.value!r} is not a valid value: {error}")
        finally:
            self.constructor.constructed_objects.pop(node, None)
        return None

    def walk_mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "merge keys (<<) are not supported; write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a mapping key must be a plain value")
                continue
            key = self.scalar(key_node)
            if not isinstance(key, str | int | bool | float) and key is not None:
                key = str(key)
            if key in result:
                first = self.located.key_marks.get((*path, key))
                where = f" (first at line {first[0]})" if first else ""
                self.problem(key_node, f"duplicate key {key!r}{where}")
                continue
            self.located.key_marks[(*path, key)] = _position(key_node)
            result[key] = self.walk(value_node, (*path, key), depth + 1)
        return result


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def _position(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def read_yaml(text: str, *, filename: str) -> tuple[Located, list[Problem]]:
    """Compose text into located data; return every problem found on the way."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return Located(data=None), [_syntax_problem(error, filename)]
    except yaml.YAMLError as error:
        return Located(data=None), [Problem(filename, 1, 1, f"YAML: {error}")]
    if root is None:
        return Located(data=None), [Problem(filename, 1, 1, "the file is empty")]
    walker = _Walker(filename)
    try:
        walker.located.data = walker.walk(root, (), 0)
    except _TooLarge as error:
        walker.problem(error.node, str(error))
        return Located(data=None), walker.problems
    return walker.located, walker.problems


def _syntax_problem(error: yaml.MarkedYAMLError, filename: str) -> Problem:
    """A parser error at the place it was found, naming where the broken construct began."""
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = error.problem or error.context or "invalid YAML"
    start = error.context_mark
    if error.context and start is not None and (start.line + 1, start.column + 1) != (line, col):
        message += f" ({error.context} at line {start.line + 1}, column {start.column + 1})"
    if "tab" in message:
        message += "; indent with spaces, not tabs"
    return Problem(filename, line, col, f"YAML syntax: {message}")
