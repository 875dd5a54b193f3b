"""YAML file → validated Glossary, or a GlossaryError listing every problem with its place."""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from app.glossary import schema
from app.glossary.checks import cross_check
from app.glossary.problems import GlossaryError, Problem
from app.glossary.yamlnodes import Located, read_yaml

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 100,000-term glossary is about 45 MB
_NAME = re.compile(r"[\w-]+")


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


def load_glossary(path: Path, *, part: bool = False) -> schema.Glossary:
    """Read and validate the glossary at path; raise GlossaryError with every problem."""
    return parse_glossary(load_bytes(path), filename=path.name, part=part)


def parse_glossary(data: bytes, *, filename: str, part: bool = False) -> schema.Glossary:
    """Validate YAML bytes. With part=True, accept a bare `terms:` list and refs outside it."""
    text, problems = _decode(data, filename)
    if text is None:
        raise GlossaryError(problems)
    located, problems = read_yaml(text, filename=filename)
    if located.data is None and problems:
        raise GlossaryError(problems)
    report = _Reporter(filename, located, problems)
    validated = _validate(located.data, report, part=part)
    glossary = None
    if validated is not None:
        glossary, raw_indexes = validated
        report.problems.extend(
            cross_check(
                glossary, raw_indexes=raw_indexes, located=located, filename=filename, part=part
            )
        )
    if report.problems or glossary is None:
        raise GlossaryError(report.problems)
    return glossary


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


class _Reporter:
    def __init__(self, filename: str, located: Located, problems: list[Problem]) -> None:
        self.filename = filename
        self.located = located
        self.problems = list(problems)

    def add(self, position: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.filename, *position, message))

    def add_validation(self, error: ValidationError, prefix: tuple[str | int, ...]) -> None:
        for item in error.errors():
            path, dotted = _data_path(self.located.data, (*prefix, *item["loc"]))
            kind = item["type"]
            if kind == "extra_forbidden":
                name = str(item["loc"][-1])
                hint = _suggest(name)
                self.add(self.located.key_mark(path), f"{dotted}: unknown field {name!r}{hint}")
            elif kind == "missing":
                self.add(self.located.mark(path[:-1]), f"{dotted}: required field is missing")
            else:
                self.add(self.located.mark(path), f"{dotted}: {_message(item)}")


def _validate(
    data: Any, report: _Reporter, *, part: bool
) -> tuple[schema.Glossary, list[int]] | None:
    """Validate the head and each term on its own, so one bad term hides no other problem."""
    if not isinstance(data, dict):
        expected = "terms" if part else "version, site and terms"
        report.add((1, 1), f"the top level must be a mapping with {expected}")
        return None
    head = None
    if not part:
        try:
            head = schema.GlossaryHead.model_validate(data)
        except ValidationError as error:
            report.add_validation(error, ())
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, list):
        if part:
            report.add((1, 1), "terms: must be a list")
        return None
    terms = []
    raw_indexes = []
    for index, raw in enumerate(raw_terms):
        try:
            terms.append(schema.TermEntry.model_validate(raw))
            raw_indexes.append(index)
        except ValidationError as error:
            report.add_validation(error, ("terms", index))
    site = head.site if head else schema.Site(title=_placeholder(), description=_placeholder())
    tags = head.tags if head else {}
    return schema.Glossary(version=1, site=site, tags=tags, terms=terms), raw_indexes


def _placeholder() -> schema.Localized:
    return schema.Localized(ja="-", en="-")


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[str | int, ...], str]:
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
    dotted = "".join(_step(p) for p in path).lstrip(".")
    return tuple(path), dotted or "document"


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
