"""Autocomplete on the header search box in a real browser (Debian's chromium).

The box is a WAI-ARIA 1.2 combobox (list autocomplete): typing kana or romaji offers the term
with its reading and English name; ↑/↓ move the active option (aria-activedescendant), Enter
opens it in the page's language or submits the form when none is active, Escape, Tab and
blur close the list; a polite live region says how many; requests are debounced and none is
made while an IME is composing. Without JavaScript the same form submits to /search.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SUGGEST = "/api/v1/suggest"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP")
    yield context
    context.close()


@pytest.fixture
def page(context: Any) -> Any:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    return page


def suggest_requests(page: Any) -> list[str]:
    """The suggest URLs the page asks for from now on (the list grows as it asks)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if SUGGEST in r.url else None)
    return seen


def box(page: Any) -> Any:
    return page.locator("#q")


def listbox(page: Any) -> Any:
    return page.get_by_role("listbox")


def options(page: Any) -> Any:
    return listbox(page).get_by_role("option")


def type_into_box(page: Any, text: str) -> None:
    box(page).click()
    page.keyboard.type(text)


@pytest.mark.parametrize("typed", ["へんび", "henbi", "ヘンビ", "hen bi"])
def test_typing_kana_or_romaji_offers_the_term(page: Any, live_server: str, typed: str) -> None:
    page.goto(live_server + "/")
    type_into_box(page, typed)
    expect(listbox(page)).to_be_visible()
    option = options(page).filter(has_text="偏微分")
    expect(option).to_have_count(1)
    expect(option).to_have_attribute("href", "/terms/partial-derivative")
    expect(option).to_contain_text("へんびぶん")
    expect(option).to_contain_text("Partial derivative")
    expect(option.locator('[lang="en"]')).to_have_text("Partial derivative")
    assert page.errors == []


def test_arrow_down_then_enter_opens_the_term(page: Any, live_server: str) -> None:
    page.goto(live_server + "/terms/backpropagation")
    type_into_box(page, "へんび")
    expect(options(page).first).to_contain_text("偏微分")
    page.keyboard.press("ArrowDown")
    expect(options(page).first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/terms/partial-derivative")
    expect(page.locator("h1")).to_contain_text("偏微分")


def test_the_english_pages_link_to_english_term_pages(page: Any, live_server: str) -> None:
    page.goto(live_server + "/en/")
    type_into_box(page, "henbi")
    first = options(page).first
    expect(first).to_have_attribute("href", "/en/terms/partial-derivative")
    expect(first.locator(".t")).to_have_text("Partial derivative")
    expect(first.locator('[lang="ja"]').first).to_have_text("偏微分")
    expect(page.get_by_role("status").filter(has_text="Suggestions")).to_have_text(
        "Suggestions: 1. Use the up and down arrow keys to choose."
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/en/terms/partial-derivative")


def test_the_aria_attributes_follow_the_list(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    q = box(page)
    expect(q).to_have_attribute("role", "combobox")
    expect(q).to_have_attribute("aria-autocomplete", "list")
    expect(q).to_have_attribute("aria-expanded", "false")
    expect(q).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    controls = q.get_attribute("aria-controls")
    assert controls and page.locator(f"#{controls}").get_attribute("role") == "listbox"
    expect(page.get_by_role("combobox", name="検索")).to_have_count(1)

    type_into_box(page, "勾配")
    expect(q).to_have_attribute("aria-expanded", "true")
    expect(listbox(page)).to_have_accessible_name("検索候補")
    count = options(page).count()
    assert count >= 3
    expect(page.get_by_role("status").filter(has_text="候補")).to_have_text(
        f"候補 {count} 件。上下の矢印キーで選べます。"
    )
    expect(q).not_to_have_attribute("aria-activedescendant", re.compile(".*"))

    def active_is(index: int) -> None:
        option = options(page).nth(index)
        option_id = option.get_attribute("id")
        assert option_id
        expect(q).to_have_attribute("aria-activedescendant", option_id)
        expect(option).to_have_attribute("aria-selected", "true")
        expect(listbox(page).locator('[aria-selected="true"]')).to_have_count(1)

    page.keyboard.press("ArrowDown")
    active_is(0)
    page.keyboard.press("ArrowDown")
    active_is(1)
    page.keyboard.press("ArrowUp")
    active_is(0)
    page.keyboard.press("ArrowUp")  # wraps to the last
    active_is(count - 1)
    page.keyboard.press("ArrowDown")  # and back to the first
    active_is(0)
    expect(q).to_be_focused()  # focus never leaves the box

    page.keyboard.press("Escape")
    expect(q).to_have_attribute("aria-expanded", "false")
    expect(q).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    page.keyboard.press("ArrowDown")  # opens the list again on the first option
    expect(q).to_have_attribute("aria-expanded", "true")
    active_is(0)
    assert page.errors == []


def test_escape_closes_the_list_and_keeps_the_text(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    type_into_box(page, "へんび")
    expect(listbox(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox(page)).to_be_hidden()
    expect(box(page)).to_have_value("へんび")
    expect(box(page)).to_have_attribute("aria-expanded", "false")


def test_tab_and_a_click_elsewhere_close_the_list(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    type_into_box(page, "勾配")
    expect(listbox(page)).to_be_visible()
    page.keyboard.press("Tab")
    expect(listbox(page)).to_be_hidden()
    expect(box(page)).not_to_be_focused()
    box(page).click()
    page.keyboard.press("ArrowDown")  # the same suggestions again
    expect(listbox(page)).to_be_visible()
    page.locator("footer").click()
    expect(listbox(page)).to_be_hidden()


def test_enter_with_no_active_option_submits_the_form(page: Any, live_server: str) -> None:
    page.goto(live_server + "/en/")
    type_into_box(page, "勾配")
    expect(listbox(page)).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/search\?q=%E5%8B%BE%E9%85%8D$"))
    expect(page.locator("ol.results li").first).to_contain_text("Gradient")


def test_a_click_on_an_option_opens_the_term(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    type_into_box(page, "momentu")
    options(page).filter(has_text="モーメンタム").click()
    page.wait_for_url(live_server + "/terms/momentum")


def test_a_tap_on_a_phone_opens_the_term_and_the_list_fits(browser: Any, live_server: str) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ja-JP",
        color_scheme="dark",
    )
    try:
        phone = context.new_page()
        phone.goto(live_server + "/")
        box(phone).tap()
        phone.keyboard.type("ごさ")
        expect(listbox(phone)).to_be_visible()
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        colors = phone.evaluate(
            """() => [getComputedStyle(document.querySelector('[role=listbox]')).backgroundColor,
                     getComputedStyle(document.body).backgroundColor]"""
        )
        assert colors[0] == colors[1]  # the dark background, through the CSS variables
        first = options(phone).first
        height = first.bounding_box()["height"]
        assert height >= 44  # a comfortable tap target
        href = first.get_attribute("href")
        first.tap()
        phone.wait_for_url(live_server + href)
    finally:
        context.close()


def open_with_paused_clock(page: Any, url: str) -> None:
    """Load url with the page's timers under the test's control: time stands still until the
    test advances it, so typing on a slow machine never lets a debounce timer fire early."""
    start = datetime.datetime(2026, 1, 1, 9, 0, 0)
    page.clock.install(time=start)
    page.goto(url)
    page.clock.pause_at(start + datetime.timedelta(hours=1))


def test_requests_are_debounced(page: Any, live_server: str) -> None:
    open_with_paused_clock(page, live_server + "/")
    asked = suggest_requests(page)
    box(page).click()
    page.keyboard.type("momentum")  # eight input events, no time passes
    assert asked == []
    page.clock.run_for(500)
    expect(options(page).first).to_contain_text("モーメンタム")
    assert len(asked) == 1 and asked[0].endswith("?q=momentum")


def test_a_newer_query_cancels_the_older_request(page: Any, live_server: str) -> None:
    held: list[Any] = []
    failed: list[str] = []
    page.route(f"**{SUGGEST}?*", lambda route: held.append(route))  # held until released
    page.on("requestfailed", lambda request: failed.append(request.url))
    open_with_paused_clock(page, live_server + "/")
    box(page).click()
    page.keyboard.type("mo")
    with page.expect_request(f"**{SUGGEST}?q=mo"):
        page.clock.run_for(200)
    page.keyboard.type("mentum")
    with page.expect_request(f"**{SUGGEST}?q=momentum"):
        page.clock.run_for(200)
    deadline = time.monotonic() + 5
    while len(held) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(20)  # lets Playwright hand the route to the handler
    assert [route.request.url.rsplit("=", 1)[1] for route in held] == ["mo", "momentum"]
    held[1].continue_()
    expect(options(page)).to_have_count(1)
    expect(options(page).first).to_contain_text("モーメンタム")
    assert any(url.endswith("?q=mo") for url in failed)  # aborted, never shown
    expect(options(page)).to_have_count(1)


def test_no_request_while_an_ime_is_composing(page: Any, live_server: str) -> None:
    open_with_paused_clock(page, live_server + "/")
    asked = suggest_requests(page)
    box(page).click()
    cdp = page.context.new_cdp_session(page)
    for text in ("h", "へ", "へn", "へん", "へんb", "へんび"):  # romaji turning into kana
        cdp.send(
            "Input.imeSetComposition",
            {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
        )
        page.clock.run_for(300)
    expect(box(page)).to_have_value("へんび")
    assert asked == []
    expect(listbox(page)).to_be_hidden()
    cdp.send("Input.insertText", {"text": "へんび"})  # the reader commits: composition ends
    page.clock.run_for(300)
    expect(options(page).first).to_contain_text("偏微分")
    assert len(asked) == 1 and "q=%E3%81%B8%E3%82%93%E3%81%B3" in asked[0]
    assert page.url == live_server + "/"


def test_an_emptied_box_closes_the_list(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    type_into_box(page, "ご")
    expect(listbox(page)).to_be_visible()
    page.keyboard.press("Backspace")
    expect(listbox(page)).to_be_hidden()
    type_into_box(page, "zzzzqqq")  # nothing matches: the list stays closed, the count says so
    expect(page.get_by_role("status").filter(has_text="候補はありません")).to_have_count(1)
    expect(listbox(page)).to_be_hidden()


def test_no_inline_styles_and_no_accessibility_violations(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    type_into_box(page, "勾配")
    page.keyboard.press("ArrowDown")
    expect(listbox(page)).to_be_visible()
    assert page.evaluate("document.querySelectorAll('[style]').length") == 0
    results = Axe().run(page, context="form[role=search]")
    assert results.violations_count == 0, results.generate_report()
    assert page.errors == []  # no script error, no Content-Security-Policy violation


def test_without_javascript_the_form_submits_to_search(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    try:
        page = context.new_page()
        for home, search in (("/", "/search"), ("/en/", "/en/search")):
            page.goto(live_server + home)
            q = box(page)
            assert q.get_attribute("role") is None  # nothing was enhanced
            q.fill("henbi")
            q.press("Enter")
            page.wait_for_url(f"{live_server}{search}?q=henbi")
            first = page.locator("ol.results li").first
            expect(first).to_contain_text("偏微分" if home == "/" else "Partial derivative")
            expect(first.locator("p.match")).to_contain_text("henbibun")
            expect(page.get_by_role("listbox")).to_have_count(0)
    finally:
        context.close()
