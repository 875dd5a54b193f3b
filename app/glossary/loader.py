"""YAML file → validated Glossary, or a GlossaryError listing every problem with its place."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from app.glossary import lints, mentions, schema
from app.glossary.checks import Seen, check_term, cross_check, note_id
from app.glossary.problems import GlossaryError, Problem, Report
from app.glossary.yamlnodes import Located, read_yaml

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 100,000-term glossary is about 45 MB
_NAME = re.compile(r"[\w-]+")
OnValidTerm = Callable[[schema.TermEntry], None]


def content_hash(data: bytes) -> str:
    """The data version: a SHA-256 of the YAML bytes."""
    return hashlib.sha256(data).hexdigest()


def load_bytes(path: Path) -> bytes:
    """The file's bytes, refusing files past the size limit before reading them."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            raise GlossaryError([Problem(path.name, 1, 1, f"the file is larger than {limit} MB")])
        return path.read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror}"
        raise GlossaryError([Problem(path.name, 1, 1, message)]) from None


def load_glossary(
    path: Path, *, part: bool = False, report: Report | None = None
) -> schema.Glossary:
    """Read and validate the glossary at path; raise GlossaryError with every error."""
    return parse_glossary(load_bytes(path), filename=path.name, part=part, report=report)


def parse_glossary(
    data: bytes, *, filename: str, part: bool = False, report: Report | None = None
) -> schema.Glossary:
    """Validate YAML bytes. With part=True, accept a bare `terms:` list and refs outside it."""
    terms: list[schema.TermEntry] = []
    head = read_glossary(data, filename=filename, part=part, on_term=terms.append, report=report)
    return schema.Glossary(version=head.version, site=head.site, tags=head.tags, terms=terms)


def read_glossary(
    data: bytes,
    *,
    filename: str,
    on_term: OnValidTerm,
    part: bool = False,
    report: Report | None = None,
) -> schema.Glossary:
    """Validate YAML bytes, giving each valid term to on_term, in order, as soon as it is read.

    Return the glossary without its terms; raise GlossaryError with every error. on_term may
    have been given terms of a file that proves invalid later: whatever it built is to be
    thrown away then. With a report (`check`), every lint runs, and the report gets the
    warnings and the lints' summary, whether or not there are errors; without one (build,
    reload), only what can be an error is looked for, and warnings are dropped.
    """
    text, problems = _decode(data, filename)
    if text is None:
        raise GlossaryError(problems)
    reader = _Reader(filename, on_term, part=part, everything=report is not None)
    if report is not None:  # where the bodies' lines stand, for the mention lint
        reader.seen.lints.source = mentions.Source(text)
    located, problems = read_yaml(text, filename=filename, on_term=reader.term)
    reader.seen.lints.source = None
    del text
    if located.data is None and problems:
        raise GlossaryError(problems)  # the file cannot be read through: only why
    reader.problems[:0] = problems
    head = reader.finish(located)
    errors = [problem for problem in reader.problems if problem.severity == "error"]
    if report is not None:
        report.warnings = sorted(p for p in reader.problems if p.severity == "warning")
        report.summary = reader.seen.lints.summary
    if errors or head is None:
        raise GlossaryError(errors)
    return head


def _decode(data: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return None, [Problem(filename, 1, 1, f"the file is larger than {limit} MB")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :]
        col = len(line_start.decode("utf-8", errors="replace")) + 1
        message = f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        return None, [Problem(filename, line, col, message)]


class _Reader:
    """Validates the head and each term on its own, so one bad term hides no other problem."""

    def __init__(
        self, filename: str, on_term: OnValidTerm, *, part: bool, everything: bool
    ) -> None:
        self.filename = filename
        self.on_term = on_term
        self.part = part
        self.problems: list[Problem] = []
        self.seen = Seen(lints=lints.Collector(everything=everything))
        self.streamed = False

    def add(self, position: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.filename, *position, message))

    def term(self, index: int, located: Located) -> None:
        """Validate one item of the terms list; called by read_yaml as soon as it is read."""
        self.streamed = True
        raw = located.data
        note_id(raw, index, located, self.seen)
        try:
            term = schema.TermEntry.model_validate(raw)
        except ValidationError as error:
            self.add_validation(error, located, ("terms", index))
            return
        self.problems += check_term(
            term, index, located, self.seen, filename=self.filename, part=self.part
        )
        self.on_term(term)

    def finish(self, located: Located) -> schema.Glossary | None:
        """Validate the head, then the rules that need every term; None when there is no head."""
        data = located.data
        if not isinstance(data, dict):
            expected = "terms" if self.part else "version, site and terms"
            self.add((1, 1), f"the top level must be a mapping with {expected}")
            return None
        head = None
        if not self.part:
            try:
                head = schema.GlossaryHead.model_validate(data)
            except ValidationError as error:
                self.add_validation(error, located, ())
        raw_terms = data.get("terms")
        if not isinstance(raw_terms, list):
            if self.part:
                self.add((1, 1), "terms: must be a list")
            return None
        if not self.streamed:  # `terms: *alias`, or a list with no items
            for index, raw in enumerate(raw_terms):
                self.term(index, Located(raw, parent=located))
        tags = head.tags if head else {}
        self.problems += cross_check(self.seen, tags=tags, filename=self.filename)
        site = head.site if head else schema.Site(title=_placeholder(), description=_placeholder())
        return schema.Glossary(version=1, site=site, tags=tags, terms=[])

    def add_validation(
        self, error: ValidationError, located: Located, prefix: tuple[str | int, ...]
    ) -> None:
        for item in error.errors():
            path = (*prefix, *_data_path(located.data, item["loc"]))
            dotted = "".join(_step(p) for p in path).lstrip(".") or "document"
            kind = item["type"]
            if kind == "extra_forbidden":
                name = str(item["loc"][-1])
                hint = _suggest(name)
                self.add(located.key_mark(path), f"{dotted}: unknown field {name!r}{hint}")
            elif kind == "missing":
                self.add(located.mark(path[:-1]), f"{dotted}: required field is missing")
            else:
                self.add(located.mark(path), f"{dotted}: {_message(item)}")


def _placeholder() -> schema.Localized:
    return schema.Localized(ja="-", en="-")


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic location that exist in the data (drop union tags)."""
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif last and part != "[key]" and isinstance(node, dict):
            path.append(part)  # a missing or unknown field
    return tuple(path)


def _step(part: object) -> str:
    """One step of a dotted path: .name, [0], or ['odd key'] for a key that is not a name."""
    if isinstance(part, int) and not isinstance(part, bool):
        return f"[{part}]"
    if isinstance(part, str) and _NAME.fullmatch(part):
        return f".{part}"
    return f"[{part!r}]"


def _message(item: Any) -> str:
    message = str(item["msg"])
    if item["type"] == "string_pattern_mismatch" and "a-z0-9" in message:
        return "must be lower-case letters, digits and single hyphens (like 'chain-rule')"
    if item["type"] == "string_too_short":
        return "must not be empty"
    message = message.removeprefix("Value error, ")
    return message[0].lower() + message[1:]


def _all_field_names() -> list[str]:
    models: list[type[BaseModel]] = [
        schema.GlossaryHead,
        schema.Site,
        schema.TermEntry,
        schema.Relation,
        schema.Sense,
        schema.Source,
        schema.Localized,
    ]
    return sorted({name for model in models for name in model.model_fields})


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, _all_field_names(), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
