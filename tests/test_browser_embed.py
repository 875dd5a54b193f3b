"""The embeds in a real browser (Debian's chromium), on a blog served from another origin.

A host page on another port (so another origin) loads /static/embed.js twice (a blog's theme
and a post may both add it) and frames a term card and the demo in
<iframe sandbox="allow-scripts"> (what WordPress does: an opaque origin, no cookies, no
storage). The frames load, resize from their initial 50 px to their content's height through
the postMessage protocol, the demo recomputes inside its frame when x changes (its requests
to the API are cross-origin, allowed by CORS), and a data-glossary link shows a card on hover,
on focus and on a first tap, that Escape (or a tap elsewhere) closes. A frame whose URL carries
WordPress's #?secret= also speaks wp-embed's protocol. On the site itself, the embed panel's
copy button copies, and on the demo page its snippets follow the values typed.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.backprop import article_example
from app.backprop.display import format_number
from tests.conftest import _free_port

pytestmark = pytest.mark.browser

INITIAL = 50  # the iframes' height attribute before they report


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll from Python: the site's CSP forbids the eval behind a string wait_for_function."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def blog(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A blog post on another origin (another port) that embeds both frames and the script."""
    root: Path = tmp_path_factory.mktemp("blog")
    (root / "post.html").write_text(
        f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>誤差伝播とは</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="{live_server}/static/embed.js" async></script></head>
<body><main>
<h1>誤差伝播とは</h1>
<p>ニューラルネットワークは<a id="term" href="{live_server}/terms/backpropagation"
 data-glossary>誤差伝播</a>で学習します。<a id="plain" href="{live_server}/terms/relu">ReLU</a></p>
<iframe id="card" src="{live_server}/embed/terms/relu?frame=card" title="ReLU"
 width="400" height="{INITIAL}" sandbox="allow-scripts"></iframe>
<iframe id="demo" src="{live_server}/embed/backprop?frame=demo" title="demo"
 width="480" height="{INITIAL}" sandbox="allow-scripts"></iframe>
<p><a id="after" href="#top">after</a></p>
</main>
<script src="{live_server}/static/embed.js" async></script>
</body></html>
""",
        encoding="utf-8",
    )
    (root / "wp.html").write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WordPress</title></head><body>
<iframe id="wp" src="{live_server}/embed/terms/relu?lang=en#?secret=AbCdE12345" title="ReLU"
 width="400" height="{INITIAL}" sandbox="allow-scripts"></iframe>
<script>
window.got = [];
addEventListener("message", (e) => {{ if (e.data && e.data.secret) window.got.push(e.data); }});
</script>
</body></html>
""",
        encoding="utf-8",
    )
    port = _free_port()
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/post.html"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def page(browser: Any, blog: str) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(blog)
    yield tab
    assert errors == []
    context.close()


def card_text(dialog: Any) -> str:
    """The card's text: it lives in the dialog's (open) shadow root, which locators pierce."""
    card = dialog.locator(".card")
    return str(card.text_content()) if card.count() else ""


def frame_height(page: Any, frame_id: str) -> float:
    return float(
        page.evaluate(f"document.getElementById('{frame_id}').getBoundingClientRect().height")
    )


def content_height(page: Any, frame_id: str) -> float:
    frame = page.locator(f"#{frame_id}").element_handle().content_frame()
    return float(frame.evaluate("document.documentElement.getBoundingClientRect().height"))


def test_the_frames_load_sandboxed_and_resize_to_their_content(page: Any, live_server: str) -> None:
    for frame_id in ("card", "demo"):
        eventually(lambda frame_id=frame_id: frame_height(page, frame_id) != INITIAL)
        eventually(
            lambda frame_id=frame_id: (
                abs(frame_height(page, frame_id) - content_height(page, frame_id)) <= 1
            )
        )
        frame = page.locator(f"#{frame_id}").element_handle().content_frame()
        assert frame.evaluate("self.origin") == "null"  # sandboxed: an opaque origin
        assert frame.url.startswith(live_server + "/embed/")
    assert frame_height(page, "card") > 150
    assert frame_height(page, "demo") > 600
    card = page.frame_locator("#card")
    more = card.locator("a.embed-more")
    assert more.get_attribute("target") == "_blank"
    assert card.locator("h1").text_content() == "ReLU(れる)"  # title with its reading (ruby)


def test_the_demo_reacts_to_input_inside_its_frame(page: Any) -> None:
    demo = page.frame_locator("#demo")
    cell = demo.locator('[data-v="dL_dw1"]').first
    before = cell.text_content()
    assert before == format_number(article_example()["named"]["dL_dw1"])
    eventually(lambda: frame_height(page, "demo") != INITIAL)
    height = frame_height(page, "demo")
    demo.locator("#f-x").fill("2")
    expected = format_number(article_example(x=2.0)["named"]["dL_dw1"])
    eventually(lambda: cell.text_content() == expected)
    assert expected != before
    # More steps draw the loss curve: the frame grows, and the parent follows.
    demo.locator("summary").first.click()
    demo.locator("#f-steps").fill("20")
    eventually(lambda: frame_height(page, "demo") > height + 200)
    full = demo.locator("a[data-full-demo]")
    eventually(lambda: "x=2" in str(full.get_attribute("href")))


def test_a_hover_card_appears_and_escape_closes_it(page: Any) -> None:
    link = page.locator("#term")
    link.hover()
    dialog = page.locator("[role=dialog]")
    eventually(lambda: dialog.count() == 1 and dialog.is_visible())
    eventually(lambda: "ごさでんぱ" in card_text(dialog))
    assert dialog.get_attribute("aria-label") == "誤差伝播"
    assert "Backpropagation" in card_text(dialog)
    assert link.get_attribute("aria-expanded") == "true"
    box = dialog.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 1000
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []  # the open card, in the host page
    page.keyboard.press("Escape")
    eventually(lambda: not dialog.is_visible())
    assert link.get_attribute("aria-expanded") == "false"
    # A link without data-glossary stays a plain link.
    page.locator("#plain").hover()
    time.sleep(0.6)
    assert not dialog.is_visible()
    assert page.locator("#plain").get_attribute("aria-expanded") is None


def test_the_card_is_keyboard_accessible(page: Any) -> None:
    page.locator("#term").focus()
    dialog = page.locator("[role=dialog]")
    eventually(lambda: dialog.is_visible() and "ごさでんぱ" in card_text(dialog))
    page.keyboard.press("Tab")  # into the card: its "Read more" link
    inside = page.evaluate("document.activeElement.shadowRoot.activeElement.textContent")
    assert inside == "続きを読む"
    page.keyboard.press("Escape")
    eventually(lambda: not dialog.is_visible())
    assert page.evaluate("document.activeElement.id") == "term"  # focus returns to the link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    eventually(lambda: not dialog.is_visible())
    assert page.evaluate("document.querySelectorAll('[role=dialog]').length") == 1


def test_a_tap_shows_the_card_and_a_second_tap_follows(
    browser: Any, blog: str, live_server: str
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    try:
        tab = context.new_page()
        tab.goto(blog)
        link = tab.locator("#term")
        eventually(lambda: tab.evaluate("!!window.__yogoshuEmbed"))
        link.tap()
        dialog = tab.locator("[role=dialog]")
        eventually(lambda: dialog.is_visible() and "ごさでんぱ" in card_text(dialog))
        assert tab.url == blog
        box = dialog.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
        tab.locator("h1").tap()  # a tap elsewhere closes it
        eventually(lambda: not dialog.is_visible())
        link.tap()
        eventually(lambda: dialog.is_visible() and "ごさでんぱ" in card_text(dialog))
        with tab.expect_navigation():
            link.tap()  # a second tap follows the link
        assert tab.url == live_server + "/terms/backpropagation"
    finally:
        context.close()


def test_the_panel_copies_a_snippet(browser: Any, live_server: str) -> None:
    context = browser.new_context(locale="ja-JP")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    try:
        tab = context.new_page()
        tab.goto(live_server + "/terms/relu")
        tab.locator("#embed-panel summary").click()
        button = tab.locator('button[data-copy="embed-iframe"]')
        eventually(button.is_visible)
        button.click()
        status = tab.locator("[data-copy-status]")
        eventually(lambda: status.text_content() == "コピーしました")
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied == tab.locator("#embed-iframe").input_value()
        assert copied.startswith(f'<iframe src="{live_server}/embed/terms/relu"')
        assert copied.endswith(f'<script src="{live_server}/static/embed.js" async></script>')
    finally:
        context.close()


def test_wordpress_frames_get_heights_and_links_in_its_protocol(browser: Any, blog: str) -> None:
    """WordPress (wp-embed.js) sizes frames whose URL has #?secret=… by its own messages."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(blog.replace("post.html", "wp.html"))
        got = lambda: tab.evaluate("window.got")  # noqa: E731
        eventually(lambda: any(m.get("message") == "height" for m in got()))
        height = next(m for m in got() if m["message"] == "height")
        assert height["secret"] == "AbCdE12345" and height["value"] > 100
        frame = tab.frame_locator("#wp")
        frame.locator("a.embed-more").click()  # popups are not allowed there: WordPress opens it
        eventually(lambda: any(m.get("message") == "link" for m in got()))
        link = next(m for m in got() if m["message"] == "link")
        assert link["value"].endswith("/en/terms/relu")
        assert len(context.pages) == 1
    finally:
        context.close()


def test_the_demo_panel_follows_the_values_typed(browser: Any, live_server: str) -> None:
    context = browser.new_context(locale="ja-JP")
    try:
        tab = context.new_page()
        tab.goto(live_server + "/demo/backprop")
        tab.locator("#f-x").fill("2")
        eventually(lambda: "x=2" in tab.evaluate("location.search"))  # tab.url lags in a sleep
        tab.locator("#embed-panel summary").click()
        field = tab.locator("#embed-iframe")
        eventually(lambda: f"{live_server}/embed/backprop?x=2&amp;" in field.input_value())
        assert "x=2" in tab.locator("#embed-link").input_value()
    finally:
        context.close()
