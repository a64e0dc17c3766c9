"""Searching a rule's ID or its title lists the rule's page first.

The tests ask their queries in one tab of the home page per test process: Material's worker
builds the search index from the site's once per page load (a second or more on a busy
machine), and a reader's next search starts from the box emptied, as each query here does.
Each test checks the problems the tab met during its own queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from snippets.rules import RULES, Rule
from tests.browser.conftest import Browsing, SharedContext
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


@pytest.fixture(scope="module")
def search_tab(shared_context: SharedContext, site_url: str) -> Iterator[Browsing]:
    """The home page with its search ready, for every query of this module."""
    with shared_context.tab(site_url) as tab:
        tab.open("")
        tab.wait_for_search()
        assert tab.problems == []
        yield tab


@pytest.fixture
def searching(search_tab: Browsing) -> Iterator[Browsing]:
    """The search tab; the problems it meets during the test are the test's own."""
    yield search_tab
    search_tab.problems.clear()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_searching_a_rule_lists_its_page_first(searching: Browsing, rule: Rule) -> None:
    expected = "/" + rule_path(rule)

    assert _first_result(searching.page, rule.id) == expected
    assert _first_result(searching.page, rule.title) == expected
    assert searching.problems == []


SEARCH_WORDS = [(rule, word) for rule in RULES for word in rule.keywords]


@pytest.mark.parametrize(
    ("rule", "word"), SEARCH_WORDS, ids=[f"{r.id}-{w}" for r, w in SEARCH_WORDS]
)
def test_the_word_a_reader_types_for_a_rule_lists_its_page_first(
    searching: Browsing, rule: Rule, word: str
) -> None:
    assert _first_result(searching.page, word) == "/" + rule_path(rule)
    assert searching.problems == []
