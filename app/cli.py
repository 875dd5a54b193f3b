"""The `glossary` command: check, build and serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.glossary.build import build_from_yaml, build_lock, built_terms
from app.glossary.loader import load_bytes, read_glossary
from app.glossary.problems import GlossaryError, Problem, Report
from app.glossary.schema import TermEntry
from app.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    settings = Settings()
    parser = argparse.ArgumentParser(prog="glossary", description="用語集 — check, build, serve")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate a glossary YAML file")
    check.add_argument("path", nargs="?", type=Path, default=settings.data)
    check.add_argument("--part", action="store_true", help="a bare `terms:` list; skip refs")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")

    build = commands.add_parser("build", help="validate and build the SQLite database")
    build.add_argument("path", nargs="?", type=Path, default=settings.data)
    build.add_argument("--db", type=Path, default=settings.db_path)
    build.add_argument("--quiet", action="store_true", help="no progress output")

    serve = commands.add_parser("serve", help="build if needed and serve over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true")

    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.path, part=args.part, strict=args.strict)
    if args.command == "build":
        return _build(args.path, args.db, quiet=args.quiet)
    return _serve(args.host, args.port, workers=args.workers, reload=args.reload)


def _check(path: Path, *, part: bool, strict: bool) -> int:
    """Print every error and warning in file order, then the lints' summary; errors (and,
    with strict, warnings) fail. Terms are counted as they stream by, not kept."""
    report, terms, errors = Report(), 0, list[Problem]()

    def count(_: TermEntry) -> None:
        nonlocal terms
        terms += 1

    try:
        data = load_bytes(path)
        read_glossary(data, filename=path.name, on_term=count, part=part, report=report)
    except GlossaryError as error:
        errors = error.problems
    for problem in sorted([*errors, *report.warnings]):
        print(problem, file=sys.stderr)
    counts = [_plural(len(errors), "problem"), _plural(len(report.warnings), "warning")]
    if errors or report.warnings:
        print(", ".join(shown for shown in counts if not shown.startswith("0 ")), file=sys.stderr)
    for line in report.summary:
        print(line)
    if errors or (strict and report.warnings):
        return 1
    print(f"{path}: ok, {terms} terms")
    return 0


def _build(path: Path, db: Path, *, quiet: bool) -> int:
    try:
        # The lock the server's workers build under: one build of db at a time, and none of
        # them deletes another's temporary file taking it for one a killed build left.
        with build_lock(db):
            build_from_yaml(path, db, progress=None if quiet else _show_progress)
    except GlossaryError as error:
        _print_problems(error)
        print(f"{db}: not changed", file=sys.stderr)
        return 1
    if not quiet:
        print(f"\n{db}: built, {built_terms(db)} terms", file=sys.stderr)
    return 0


def _serve(host: str, port: int, *, workers: int, reload: bool) -> int:
    import uvicorn

    uvicorn.run("app.main:app", host=host, port=port, workers=workers, reload=reload)
    return 0


def _print_problems(error: GlossaryError) -> None:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(_plural(len(error.problems), "problem"), file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _show_progress(done: int, total: int) -> None:
    counted = f"{done:,}/{total:,}" if total else f"{done:,}"
    print(f"\rbuilding: {counted} terms", end="", file=sys.stderr, flush=True)
