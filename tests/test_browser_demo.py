"""The backprop demo in a real browser (Debian's chromium).

With JavaScript, changing a value updates the gradients in place: no navigation, the URL follows
(history.replaceState), a bad value is marked next to its field, and the numbers read exactly as
the server writes them. Without JavaScript the form submits and the server renders the same
results. On a phone the page never scrolls sideways; the diagram and tables scroll in their boxes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from app.backprop import article_example
from app.backprop.display import format_number

pytestmark = pytest.mark.browser

DL_DW1 = 'tr[data-step="dL_dw1"] [data-f="value"]'


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="ja-JP")
    yield context.new_page()
    context.close()


@pytest.fixture
def no_script_phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    yield context.new_page()
    context.close()


def text_of(page: Any, selector: str) -> str:
    return str(page.locator(selector).first.text_content())


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll from Python: the site's CSP forbids the eval behind a string wait_for_function."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_changing_a_value_updates_the_gradients_without_a_page_load(
    page: Any, live_server: str
) -> None:
    page.goto(f"{live_server}/demo/backprop")
    served = text_of(page, DL_DW1)
    assert served == format_number(article_example()["named"]["dL_dw1"]) == "−0.0884892"
    page.evaluate("window.notReloaded = true")

    page.get_by_label("重み w1").fill("2")
    expect(page.locator(DL_DW1)).not_to_have_text(served)

    expected = article_example(w1=2.0)
    assert text_of(page, DL_DW1) == format_number(expected["named"]["dL_dw1"])
    assert text_of(page, 'tr[data-param="w1"] [data-v="dL_dw1"]') == text_of(page, DL_DW1)
    assert text_of(page, 'svg [data-v="dL_dw2"]') == format_number(expected["named"]["dL_dw2"])
    assert text_of(page, '[data-v="w1_after"]') == format_number(
        expected["updated"]["layers"][0]["weights"][0][0]
    )
    assert page.evaluate("window.notReloaded") is True  # the same document: no navigation
    assert "w1=2" in page.url  # replaceState keeps the URL shareable
    assert "w1=2" in str(page.locator("a.lang-switch").first.get_attribute("href"))


def test_more_steps_draw_the_loss_curve_and_labels_follow_the_functions(
    page: Any, live_server: str
) -> None:
    page.goto(f"{live_server}/en/demo/backprop")
    expect(page.locator("[data-curve-section]")).to_be_hidden()
    page.get_by_label("Steps").fill("25")
    expect(page.locator("[data-curve-section]")).to_be_visible()
    points = str(page.locator("[data-curve]").get_attribute("points")).split()
    assert len(points) == 26
    page.get_by_label("Activation of h").select_option("tanh")
    expect(page.locator('tr[data-step="h"] [data-f="formula"]')).to_have_text("h = tanh(z1)")
    label = text_of(page, 'tr[data-step="h"] [data-f="label"]')
    assert label == "Output of the hidden unit, h (tanh)"


def test_a_bad_value_is_marked_and_a_good_one_clears_it(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/demo/backprop")
    page.get_by_label("ステップ数").fill("20000")
    expect(page.locator("#e-steps")).to_be_visible()
    assert "1 から 10000 までの整数" in text_of(page, "#e-steps")
    assert page.get_by_label("ステップ数").get_attribute("aria-invalid") == "true"
    assert "is-stale" in str(page.locator("#demo-results").get_attribute("class"))
    page.get_by_label("ステップ数").fill("3")
    expect(page.locator("#e-steps")).to_be_hidden()
    assert page.get_by_label("ステップ数").get_attribute("aria-invalid") is None
    assert "is-stale" not in str(page.locator("#demo-results").get_attribute("class"))


def test_the_script_writes_numbers_as_the_server_does(page: Any, live_server: str) -> None:
    query = "x=0.7&w1=-1.3&b=0.25&w2=3&t=0.2&lr=0.9&steps=40&hidden=tanh&output=sigmoid&loss=bce"
    page.goto(f"{live_server}/demo/backprop?{query}")
    served = page.locator("#demo-results").inner_html()
    page.get_by_label("重み w2").fill("2")
    expect(page).to_have_url(re.compile(r"w2=2&"))
    page.get_by_label("重み w2").fill("3")
    expect(page).to_have_url(re.compile(r"w2=3&"))
    without_links = re.compile(r' href="[^"]*"')
    expected = without_links.sub("", served)

    def same() -> bool:
        html = page.locator("#demo-results").inner_html()
        return bool(without_links.sub("", html) == expected)

    eventually(same)  # the same markup, to the last digit, after a round trip through the API


def test_without_javascript_the_form_submits_and_the_server_answers(
    no_script_phone: Any, live_server: str
) -> None:
    page = no_script_phone
    page.goto(f"{live_server}/en/demo/backprop")
    page.get_by_label("Weight w1").fill("2")
    page.get_by_label("Steps").fill("5")
    page.get_by_role("button", name="Compute").click()
    page.wait_for_url("**/en/demo/backprop?*w1=2*")
    expected = article_example(w1=2.0, steps=5)
    assert text_of(page, DL_DW1) == format_number(expected["named"]["dL_dw1"])
    assert page.locator("[data-curve-section]").is_visible()
    page.get_by_label("Input x").fill("")
    page.get_by_role("button", name="Compute").click()
    page.wait_for_url("**x=&*")
    assert page.locator("#e-x").is_visible()
    assert "Enter a finite number" in text_of(page, "#e-x")


@pytest.mark.parametrize("path", ["/demo/backprop?steps=30", "/en/demo/backprop?steps=30"])
def test_the_page_fits_a_phone(no_script_phone: Any, live_server: str, path: str) -> None:
    page = no_script_phone
    page.goto(live_server + path)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    scrolls = page.evaluate(
        "[...document.querySelectorAll('.bp-scroll')].some(b => b.scrollWidth > b.clientWidth)"
    )
    assert scrolls  # the diagram (at least) scrolls inside its own box
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
