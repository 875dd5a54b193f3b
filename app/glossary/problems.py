"""A located problem in a glossary file, and the error that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, printed the way compilers print theirs: file:line:col: message.

    An error makes the file invalid; a warning (printed `file:line:col: warning: message`)
    is reported by `check` and does not.
    """

    file: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        warning = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.col}: {warning}{self.message}"


@dataclass
class Report:
    """What a check finds besides errors: its warnings, and lines that sum the lints up."""

    warnings: list[Problem] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


class GlossaryError(Exception):
    """The glossary is invalid; every error found is in .problems, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
