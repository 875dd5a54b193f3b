"""axe-core (through axe-playwright-python) finds no violations on any page type, in both
languages and both colour schemes, in Debian's chromium with JavaScript on — colour contrast
included. Every rule axe runs by default counts, best practices too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/terms/backpropagation",
    "/terms/gradient",
    "/terms/relu",
    "/tags/calculus",
    "/index/ka",
    "/index/az/b",
    "/search",
    "/search?q=勾配",
    "/search?q=zzzzqqqq",
    "/nowhere",
]
DEMO_PAGES = ["/demo/backprop", "/demo/backprop?x=abc"]
# The frames for blog posts (English by ?lang=en), as a reader sees them: at a phone's width.
EMBED_PAGES = [
    "/embed/terms/backpropagation",
    "/embed/terms/relu?lang=en",
    "/embed/terms/no-such-term",
    "/embed/backprop?steps=5",
    "/embed/backprop?x=abc&lang=en",
]
SCHEMES = ("light", "dark")


def en(path: str) -> str:
    return "/en/" if path == "/" else f"/en{path}"


def _cases(pages: list[str]) -> list[tuple[str, str]]:
    return [(scheme, p) for scheme in SCHEMES for path in pages for p in (path, en(path))]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def tabs(browser: Any) -> Iterator[dict[str, Any]]:
    """One page per colour scheme, reused across the module."""
    contexts = {
        scheme: browser.new_context(
            color_scheme=scheme, viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        for scheme in SCHEMES
    }
    yield {scheme: context.new_page() for scheme, context in contexts.items()}
    for context in contexts.values():
        context.close()


def _violations(
    tabs: dict[str, Any], axe: Axe, live_server: str, scheme: str, path: str
) -> list[str]:
    page = tabs[scheme]
    response = page.goto(live_server + path, wait_until="load")
    assert response is not None and response.status in (200, 404, 422), path
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(("scheme", "path"), _cases(PAGES))
def test_no_axe_violations(
    tabs: dict[str, Any], axe: Axe, live_server: str, scheme: str, path: str
) -> None:
    assert _violations(tabs, axe, live_server, scheme, path) == []


@pytest.mark.parametrize(("scheme", "path"), _cases(DEMO_PAGES))
def test_no_axe_violations_on_the_demo(
    tabs: dict[str, Any], axe: Axe, live_server: str, scheme: str, path: str
) -> None:
    probe = tabs[scheme].goto(live_server + "/demo/backprop")
    if probe is None or probe.status == 404:
        pytest.skip("no demo in this build")
    assert _violations(tabs, axe, live_server, scheme, path) == []


def test_axe_reports_what_it_should(tabs: dict[str, Any], axe: Axe) -> None:
    """A page with faint text and an unlabelled image fails, so a silent axe cannot pass."""
    page = tabs["light"]
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>t</h1>'
        '<p style="color:#bbb;background:#fff">faint</p><img src="data:,"></main></html>'
    )
    ids = {v["id"] for v in axe.run(page).response["violations"]}
    assert {"color-contrast", "image-alt"} <= ids


@pytest.mark.parametrize(("scheme", "path"), [(s, p) for s in SCHEMES for p in EMBED_PAGES])
def test_no_axe_violations_in_the_embed_frames(
    tabs: dict[str, Any], axe: Axe, live_server: str, scheme: str, path: str
) -> None:
    tabs[scheme].set_viewport_size({"width": 360, "height": 640})
    try:
        assert _violations(tabs, axe, live_server, scheme, path) == []
    finally:
        tabs[scheme].set_viewport_size({"width": 1280, "height": 900})
