"""Code fits the screen: no code block scrolls sideways at 1280 px, and a rule page reads on
a phone (390 px): the page itself never scrolls sideways, a long line scrolls inside its
block, and an identifier in a table is never broken across lines."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from snippets.rules import RULES, Rule
from tests.browser.conftest import Browsing
from tests.browser.site_pages import rule_path, site_paths

# Every tab's code and every folded "Full script", laid out as a reader would open them.
SHOW_EVERYTHING = """() => {
    document.querySelectorAll("article details").forEach(d => d.open = true);
    const style = document.createElement("style");
    style.textContent = ".tabbed-block { display: block !important; }";
    document.head.append(style);
}"""
# A block scrolls when its content is wider than the box that shows it.
CODE_THAT_SCROLLS = """() => [...document.querySelectorAll("article pre > code")]
    .filter(code => code.scrollWidth > code.clientWidth + 1)
    .map(code => {
        const title = code.closest(".highlight")?.querySelector(".filename");
        const longest = code.textContent.split("\\n")
            .reduce((a, b) => (b.length > a.length ? b : a), "");
        return `${title ? title.textContent : "untitled block"}: ${longest.trim()}`;
    })"""
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
# Material lays out tabs and code with its script; on a loaded machine the page may be
# measured once before that is done, so the width is waited for, a few seconds at most.
FITS = "width => document.documentElement.scrollWidth <= width"
CODE_OVERFLOW = """() => [...document.querySelectorAll("article pre > code")]
    .map(code => getComputedStyle(code).overflowX)"""
# Inline code in a table may wrap between words, never inside one: a word laid out on two
# lines has two boxes.
BROKEN_IN_TABLES = """() => {
    const broken = [];
    for (const code of document.querySelectorAll("article td code, article th code")) {
        for (const node of code.childNodes) {
            if (node.nodeType !== Node.TEXT_NODE) continue;
            for (const match of node.textContent.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                if (range.getClientRects().length > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""
PHONE: ViewportSize = {"width": 390, "height": 844}


def _show_everything(page: Page) -> None:
    page.evaluate(SHOW_EVERYTHING)


@pytest.mark.parametrize("path", site_paths(), ids=lambda path: path or "home")
def test_no_code_block_scrolls_sideways_at_1280_px(
    browsing: Browsing, path: str
) -> None:
    browsing.open(path)
    _show_everything(browsing.page)

    assert browsing.page.evaluate(CODE_THAT_SCROLLS) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_a_rule_page_reads_on_a_phone(browsing: Browsing, rule: Rule) -> None:
    browsing.page.set_viewport_size(PHONE)
    browsing.open(rule_path(rule))
    _show_everything(browsing.page)

    try:
        browsing.page.wait_for_function(FITS, arg=PHONE["width"], timeout=5_000)
    except PlaywrightTimeoutError:
        width = browsing.page.evaluate(PAGE_WIDTH)
        pytest.fail(f"the page is {width} px wide on a {PHONE['width']} px screen")
    assert set(browsing.page.evaluate(CODE_OVERFLOW)) <= {"auto", "scroll"}
    assert browsing.page.evaluate(BROKEN_IN_TABLES) == []
    assert browsing.problems == []
