"""Searching a rule's ID or its title lists the rule's page first."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from snippets.rules import RULES, Rule
from tests.browser.conftest import Browsing
from tests.browser.site_pages import rule_path


def _first_result(page: Page, query: str) -> str:
    """The path of the first page the search lists for ``query``."""
    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result__item")
    box.click()
    # Material searches on a key press, not on the input event that fill() sends: "End"
    # moves nothing and triggers it. Clear first, and wait for the list to empty: the
    # next list is then the new query's.
    box.fill("")
    box.press("End")
    expect(results).to_have_count(0)
    box.fill(query)
    box.press("End")
    link = results.first.locator("a").first
    link.wait_for()
    href = link.get_attribute("href")
    assert href is not None
    return urlsplit(href).path


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_searching_a_rule_lists_its_page_first(browsing: Browsing, rule: Rule) -> None:
    browsing.open("")
    browsing.wait_for_search()
    expected = "/" + rule_path(rule)

    assert _first_result(browsing.page, rule.id) == expected
    assert _first_result(browsing.page, rule.title) == expected
    assert browsing.problems == []


SEARCH_WORDS = [(rule, word) for rule in RULES for word in rule.keywords]


@pytest.mark.parametrize(
    ("rule", "word"), SEARCH_WORDS, ids=[f"{r.id}-{w}" for r, w in SEARCH_WORDS]
)
def test_the_word_a_reader_types_for_a_rule_lists_its_page_first(
    browsing: Browsing, rule: Rule, word: str
) -> None:
    browsing.open("")
    browsing.wait_for_search()

    assert _first_result(browsing.page, word) == "/" + rule_path(rule)
    assert browsing.problems == []
