"""The light/dark toggle switches Material's colour scheme, and the choice is kept."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Browsing


def _scheme(page: Page) -> str | None:
    return page.locator("body").get_attribute("data-md-color-scheme")


def _background(page: Page) -> str:
    colour: str = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return colour


def test_toggle_switches_to_dark_and_back(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("")
    assert _scheme(page) == "default"
    light = _background(page)

    page.get_by_title("Switch to dark mode").click()
    assert _scheme(page) == "slate"
    assert _background(page) != light

    page.reload(wait_until="load")
    assert _scheme(page) == "slate", "the choice is kept across page loads"

    page.get_by_title("Switch to light mode").click()
    assert _scheme(page) == "default"
    assert _background(page) == light
    assert browsing.problems == []
