"""The layout the code promises (docs/architecture.md): route modules are leaves, the pure
packages never import the web framework, one module builds the template environment, no
module holds two ideas' worth of lines, and the project cites no file it does not contain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.settings import ROOT

APP = ROOT / "app"
ROUTES = APP / "web" / "routes"
PURE = ("backprop", "glossary", "search", "seo", "text", "data")
WEB_FRAMEWORKS = ("fastapi", "starlette", "uvicorn", "jinja2")
MAX_LINES = 400


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module path imports, absolute (`from app.x import y` gives app.x and app.x.y)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


@pytest.mark.parametrize("path", modules(ROUTES), ids=name)
def test_route_modules_are_leaves(path: Path) -> None:
    siblings = {name(other) for other in modules(ROUTES) if other.stem != "__init__"}
    assert not (imported(path) & siblings) - {name(path)}


@pytest.mark.parametrize("path", [p for package in PURE for p in modules(APP / package)], ids=name)
def test_pure_packages_do_not_import_the_web_layer(path: Path) -> None:
    for module in imported(path):
        assert not module.startswith(WEB_FRAMEWORKS), module
        assert not module.startswith("app.web"), module


@pytest.mark.parametrize("path", modules(APP), ids=name)
def test_no_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_one_module_registers_template_globals() -> None:
    registering = [
        name(path)
        for path in modules(APP)
        if "env.globals" in path.read_text(encoding="utf-8")
        or "env.filters" in path.read_text(encoding="utf-8")
    ]
    assert registering == ["app.web.templates"]


def test_templates_call_no_engine() -> None:
    """Templates format what handlers pass in; the engine runs in handlers."""
    from app.web.templates import templates

    callables = {key for key, value in templates.env.globals.items() if callable(value)}
    assert not {"article_example", "train", "backprop_article"} & callables


def test_nothing_cites_a_file_outside_the_project() -> None:
    sources = [*modules(APP), *modules(ROOT / "tests"), *(ROOT / "templates").glob("*.html")]
    sources += [*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if path == Path(__file__):
            continue
        assert "DESIGN.md" not in text and "../shared" not in text, path
