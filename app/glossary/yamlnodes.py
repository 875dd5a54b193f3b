"""Turn YAML text into plain Python data while remembering where every value stood.

We compose PyYAML's parser events ourselves, so that duplicate mapping keys, alias bombs
and deep nesting are caught, and so every later error can be reported at the line and
column of the value it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C composer is much faster on large files; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader

    _BYTE_POSITIONS = True  # libyaml counts a reader error's position in bytes of UTF-8
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _BYTE_POSITIONS = False

from app.glossary.problems import Problem

Path = tuple[str | int, ...]

MAX_DEPTH = 64
# A glossary has no use for aliases beyond a few; a document whose aliases keep
# expanding (a "billion laughs") is stopped after this many repeated visits.
MAX_ALIAS_VISITS = 10_000
# Without aliases, the text of all scalars together is never longer than the file; aliases of
# one long scalar ("&a <1 MB>", then "*a" many times) may add at most this many characters.
MAX_ALIAS_TEXT = 1_000_000


@dataclass
class Located:
    """Plain data plus the (line, column) of each value and each mapping key, by path."""

    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    parent: Located | None = None  # a streamed term's marks are its own; the rest are here

    def mark(self, path: Path) -> tuple[int, int]:
        """The position of the deepest known value on the path (1-based line and column)."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return self.parent.mark(path) if self.parent else (1, 1)

    def key_mark(self, path: Path) -> tuple[int, int]:
        """The position of the key that holds path, or of the value when there is no key."""
        found = self.key_marks.get(path)
        if found is None and self.parent is not None:
            found = self.parent.key_marks.get(path)
        return found or self.mark(path)


# Called with each item of the top-level `terms:` list as soon as it is read, with its index
# and its own marks; the list then keeps None in its place, so the item can be dropped.
OnTerm = Callable[[int, Located], None]

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = (
        "anchor",
        "container",
        "is_key",
        "key",
        "nodes",
        "path",
        "skip",
        "streams",
        "text",
    )

    def __init__(self, container: Any, path: Path, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: Any = _NO_KEY  # a mapping's key waiting for its value
        self.is_key = False  # a mapping or sequence written as a key: refused
        self.nodes = 1  # collections inside, itself included (for the alias budget)
        self.text = 0  # characters of scalars inside (for the alias budget)
        self.skip = False  # the value of a key that was refused: read, not kept
        self.streams = False  # the top-level terms list: its items go to on_term


_NO_KEY = object()


class _Composer:
    """Builds plain data from the parser's events, recording where every value stood.

    Working from events rather than from PyYAML's node tree avoids creating a node and two
    mark objects per value, which is most of the time PyYAML spends on a large file.
    """

    def __init__(
        self, loader: Any, filename: str, text_length: int, on_term: OnTerm | None
    ) -> None:
        self.loader = loader
        self.on_term = on_term
        self.resolvers: dict[str, list[tuple[str, Any]]] = loader.yaml_implicit_resolvers
        self.filename = filename
        self.text_budget = text_length + MAX_ALIAS_TEXT
        self.problems: list[Problem] = []
        self.located = Located(data=None)
        self.marks = self.located.marks  # the current term's while one is being read
        self.key_marks = self.located.key_marks
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.alias_visits = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def problem(self, event: yaml.Event, message: str) -> None:
        mark = event.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        self.problems.append(Problem(self.filename, line, col, message))

    def feed(self, event: yaml.Event) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self.scalar(event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self.open(event, {} if kind is yaml.MappingStartEvent else [])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.close()
        elif kind is yaml.AliasEvent:
            self.alias(event)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _Refused(
                    event,
                    "YAML syntax: expected a single document in the stream, "
                    "but found another document",
                )

    def place(self, event: yaml.Event) -> Path | None:
        """Where the next value goes; None when it is a mapping key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.key is _NO_KEY:
            return None
        return (*frame.path, frame.key)

    def enter(self, path: Path, position: tuple[int, int]) -> None:
        """Record where the value at path starts; a terms item gets marks of its own."""
        if self.stack and self.stack[-1].streams:
            self.marks, self.key_marks = {}, {}
        self.marks[path] = position

    def attach(self, value: Any, nodes: int, text: int) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.nodes += nodes
        frame.text += text
        if frame.streams and self.on_term is not None:
            index = len(frame.container)
            term = Located(value, self.marks, self.key_marks, parent=self.located)
            self.marks, self.key_marks = self.located.marks, self.located.key_marks
            self.on_term(index, term)
            frame.container.append(None)
            return
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if not frame.skip:
            frame.container[frame.key] = value
        frame.key = _NO_KEY
        frame.skip = False

    def open(self, event: Any, container: Any) -> None:
        path = self.place(event)
        is_key = path is None
        if path is None:
            self.problem(event, "a mapping key must be a plain value")
            path = (*self.stack[-1].path, "?")
        if len(path) > MAX_DEPTH:
            raise _Refused(event, f"nesting deeper than {MAX_DEPTH} levels")
        mark = event.start_mark
        self.enter(path, (mark.line + 1, mark.column + 1))
        frame = _Frame(container, path, event.anchor)
        frame.is_key = is_key
        frame.streams = self.is_terms_list(path, container)
        self.stack.append(frame)

    def is_terms_list(self, path: Path, container: Any) -> bool:
        """The sequence under the top-level mapping's (first) `terms` key."""
        if path != ("terms",) or not isinstance(container, list) or len(self.stack) != 1:
            return False
        root = self.stack[0]
        return isinstance(root.container, dict) and not root.skip and self.on_term is not None

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, frame.nodes, frame.text)
        if frame.is_key:  # its value will be read and dropped
            self.stack[-1].key, self.stack[-1].skip = "?", True
            return
        self.attach(frame.container, frame.nodes, frame.text)

    def alias(self, event: Any) -> None:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            raise _Refused(event, f"YAML syntax: found undefined alias {event.anchor!r}")
        value, nodes, text = anchored
        self.alias_visits += nodes if isinstance(value, dict | list) else 0
        if self.alias_visits > MAX_ALIAS_VISITS:
            raise _Refused(event, "aliases expand to too many values (an alias bomb?)")
        self.text_budget -= text
        if self.text_budget < 0:
            raise _Refused(event, "aliases expand to too much text (an alias bomb?)")
        path = self.place(event)
        if path is None:
            self.problem(event, "a mapping key must be a plain value")
            self.stack[-1].key, self.stack[-1].skip = "?", True
            return
        mark = event.start_mark
        self.enter(path, (mark.line + 1, mark.column + 1))
        self.attach(value, nodes if isinstance(value, dict | list) else 0, text)

    def scalar(self, event: Any) -> None:
        value = event.value
        self.text_budget -= len(value)
        if self.text_budget < 0:
            raise _Refused(event, "aliases expand to too much text (an alias bomb?)")
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(value, event.implicit[0])
        data = value if tag == _STR else self.construct(event, tag)
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        if event.anchor is not None:
            self.anchors[event.anchor] = (data, 0, len(value))
        path = self.place(event)
        if path is None:
            self.key(event, tag, data, position)
            return
        self.enter(path, position)
        self.attach(data, 0, len(value))

    def key(self, event: Any, tag: str, key: Any, position: tuple[int, int]) -> None:
        frame = self.stack[-1]
        frame.key, frame.skip = key, True  # until the key proves good
        if tag == _MERGE:
            self.problem(event, "merge keys (<<) are not supported; write the fields out")
            return
        if not isinstance(key, str | int | bool | float) and key is not None:
            key = frame.key = str(key)
        if key in frame.container:
            first = self.key_marks.get((*frame.path, key))
            where = f" (first at line {first[0]})" if first else ""
            self.problem(event, f"duplicate key {key!r}{where}")
            return
        self.key_marks[(*frame.path, key)] = position
        frame.skip = False

    def resolve(self, value: str, plain: bool) -> str:
        """The implicit tag of a scalar, as PyYAML's resolver decides it, without its overhead."""
        if not plain:
            return _STR
        for tag, pattern in self.resolvers.get(value[:1], ()):
            if pattern.match(value):
                return tag
        return _STR

    def construct(self, event: Any, tag: str) -> Any:
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            self.problem(event, error.problem or "value cannot be read")
        except ValueError as error:  # e.g. a date such as 2026-13-01
            self.problem(event, f"{event.value!r} is not a valid value: {error}")
        except Exception:  # PyYAML's constructors trust their input: "!!int ''" is an IndexError
            kind = str(tag).rsplit(":", 1)[-1]
            self.problem(event, f"{event.value!r} is not a valid {kind}")
        finally:
            self.constructor.constructed_objects.pop(node, None)
        return None


class _Refused(Exception):
    """Stop reading: the document is past a limit or cannot be read on."""

    def __init__(self, event: yaml.Event, message: str) -> None:
        super().__init__(message)
        self.event = event


def read_yaml(
    text: str, *, filename: str, on_term: OnTerm | None = None
) -> tuple[Located, list[Problem]]:
    """Parse text into located data; return every problem found on the way.

    With on_term, each item of the top-level `terms:` list goes to it as soon as it is read
    and is not kept (None stands in its place), so a large file is never held whole.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    composer = _Composer(_Loader(""), filename, len(text), on_term)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            composer.feed(event)
    except yaml.MarkedYAMLError as error:
        return Located(data=None), [_syntax_problem(error, filename)]
    except yaml.reader.ReaderError as error:
        return Located(data=None), [_reader_problem(error, text, filename)]
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        return Located(data=None), [Problem(filename, 1, 1, f"YAML: {message}")]
    except _Refused as error:
        composer.problem(error.event, str(error))
        return Located(data=None), composer.problems
    if composer.root is None:
        return Located(data=None), [Problem(filename, 1, 1, "the file is empty")]
    composer.located.data = composer.root
    return composer.located, composer.problems


def _reader_problem(error: yaml.reader.ReaderError, text: str, filename: str) -> Problem:
    """A character YAML does not allow (a control character, say), at its place."""
    counted = text.encode() if _BYTE_POSITIONS else text
    before = counted[: error.position]
    shown = before.decode(errors="replace") if isinstance(before, bytes) else before
    line = shown.count("\n") + 1
    col = len(shown) - shown.rfind("\n")
    code = error.character if isinstance(error.character, int) else ord(error.character)
    reason = error.reason or "not allowed"
    return Problem(filename, line, col, f"YAML: character U+{code:04X} is not allowed ({reason})")


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
