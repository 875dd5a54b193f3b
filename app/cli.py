"""The `glossary` command: check, build and serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.glossary.build import build_from_yaml, built_terms
from app.glossary.loader import load_glossary
from app.glossary.problems import GlossaryError
from app.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    settings = Settings()
    parser = argparse.ArgumentParser(prog="glossary", description="用語集 — check, build, serve")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate a glossary YAML file")
    check.add_argument("path", nargs="?", type=Path, default=settings.data)
    check.add_argument("--part", action="store_true", help="a bare `terms:` list; skip refs")

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
        return _check(args.path, part=args.part)
    if args.command == "build":
        return _build(args.path, args.db, quiet=args.quiet)
    return _serve(args.host, args.port, workers=args.workers, reload=args.reload)


def _check(path: Path, *, part: bool) -> int:
    try:
        glossary = load_glossary(path, part=part)
    except GlossaryError as error:
        _print_problems(error)
        return 1
    print(f"{path}: ok, {len(glossary.terms)} terms")
    return 0


def _build(path: Path, db: Path, *, quiet: bool) -> int:
    try:
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
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''}", file=sys.stderr)


def _show_progress(done: int, total: int) -> None:
    counted = f"{done:,}/{total:,}" if total else f"{done:,}"
    print(f"\rbuilding: {counted} terms", end="", file=sys.stderr, flush=True)
