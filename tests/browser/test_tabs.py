"""The Don't / Do tabs switch on a click, and stay linked: across the page and across pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from snippets.rules import RULES, Rule
from tests.browser.conftest import Browsing
from tests.browser.site_pages import rule_path

# The label of the checked tab of each tab set on the page, in page order.
SELECTED_LABELS = """() => [...document.querySelectorAll("article .tabbed-set")].map(set => {
    const checked = set.querySelector(":scope > input:checked");
    return set.querySelector(`:scope > .tabbed-labels > label[for="${checked.id}"]`)
        .innerText.trim();
})"""


def _selected(page: Page) -> list[str]:
    labels: list[str] = page.evaluate(SELECTED_LABELS)
    return labels


def _visible_file(page: Page) -> str:
    """The title of the code block the reader sees in the first tab set: a file name."""
    return (
        page.locator("article .tabbed-set")
        .first.locator(".tabbed-block .filename")
        .filter(visible=True)
        .inner_text()
    )


def _click_tab(page: Page, label: str) -> None:
    exactly = re.compile(f"^{re.escape(label)}$")
    page.locator("article .tabbed-labels > label").filter(
        has_text=exactly
    ).first.click()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_tabs_switch_between_the_dont_and_do_snippets(
    browsing: Browsing, rule: Rule
) -> None:
    page = browsing.page
    browsing.open(rule_path(rule))
    sets = page.locator("article .tabbed-set").count()
    assert sets >= 1
    assert _selected(page) == ["Don't"] * sets
    assert _visible_file(page) == f"{rule.snippet_dir}/bad.py"

    _click_tab(page, "Do")
    assert _selected(page) == ["Do"] * sets
    assert _visible_file(page) == f"{rule.snippet_dir}/good.py"

    _click_tab(page, "Don't")
    assert _selected(page) == ["Don't"] * sets
    assert _visible_file(page) == f"{rule.snippet_dir}/bad.py"
    assert browsing.problems == []


def test_the_chosen_tab_follows_the_reader_to_other_pages(browsing: Browsing) -> None:
    first, second = RULES[0], RULES[1]
    related = next(rule for rule in RULES if rule.id == second.related[0])
    page = browsing.page
    browsing.open(rule_path(first))
    _click_tab(page, "Do")

    # A page loaded afresh opens on the tab chosen before.
    browsing.open(rule_path(second))
    assert _selected(page) == ["Do"] * page.locator("article .tabbed-set").count()

    # So does one reached through a link, which Material loads without a page reload.
    page.locator(f'article a[href*="#{related.anchor}"]').first.click()
    page.wait_for_url(f"**/{rule_path(related)}*")
    page.locator("article .tabbed-set").first.wait_for()
    assert _selected(page) == ["Do"] * page.locator("article .tabbed-set").count()
    assert browsing.problems == []
