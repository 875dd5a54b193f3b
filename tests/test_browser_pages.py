"""What a reader does in a real browser (Debian's chromium): read a term on a phone without
sideways scrolling, follow a related term, switch language, search from the header — all
with JavaScript turned off, since every page is rendered on the server."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
        locale="ja-JP",
    )
    yield context.new_page()
    context.close()


def test_a_term_page_fits_a_phone(phone: Any, live_server: str) -> None:
    for path in ("/terms/backpropagation", "/en/terms/backpropagation", "/"):
        phone.goto(live_server + path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    phone.goto(live_server + "/terms/backpropagation")
    assert phone.locator("h1 rt").inner_text() == "ごさでんぱ"
    size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16


def test_a_reader_follows_a_related_term_and_switches_language(
    phone: Any, live_server: str
) -> None:
    phone.goto(live_server + "/terms/backpropagation")
    phone.locator("#related").get_by_role("link", name="勾配消失").click()
    phone.wait_for_url(live_server + "/terms/vanishing-gradient")
    assert phone.locator("h1").inner_text().startswith("勾配消失")
    phone.get_by_role("link", name="English").first.click()
    phone.wait_for_url(live_server + "/en/terms/vanishing-gradient")
    assert phone.locator("h1").inner_text() == "Vanishing gradient"


def test_the_header_search_works_without_javascript(phone: Any, live_server: str) -> None:
    phone.goto(live_server + "/")
    phone.get_by_role("searchbox").fill("勾配")
    phone.get_by_role("button", name="検索").click()
    phone.wait_for_url("**/search?q=*")
    assert phone.locator("ol.results li").count() >= 1
    assert "勾配" in phone.locator("ol.results li").first.inner_text()
