"""Each snippet's copy button puts exactly the snippet on the clipboard.

The reader's clipboard is the real one: the browser context may read it, and each button is
clicked as a reader would, after its tab is opened if it sits in one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from site_hooks.rules import checklist_markdown
from tests.browser.conftest import Browsing
from tests.browser.site_pages import expected_copy, page_path
from tests.doc_sources import ROOT, includes

PAGES_WITH_SNIPPETS = sorted({include.page for include in includes()})

# Material hides the code of tabs that are not selected: open the button's tab first.
OPEN_TAB_OF = """button => {
    const block = button.closest(".tabbed-block");
    if (block === null) return;
    const index = [...block.parentElement.children].indexOf(block);
    block.closest(".tabbed-set")
        .querySelectorAll(":scope > .tabbed-labels > label")[index].click();
}"""


def _copy(page: Page, button: Locator) -> str:
    button.evaluate(OPEN_TAB_OF)
    # Empty first: a button that copies nothing must not pass with the previous text.
    page.evaluate("navigator.clipboard.writeText('')")
    button.click()
    copied: str = page.evaluate("navigator.clipboard.readText()")
    return copied


def copy_every_code_block(page: Page) -> list[str]:
    page.evaluate(
        "document.querySelectorAll('article details').forEach(d => d.open = true)"
    )
    buttons = page.locator('article button.md-code__button[data-md-type="copy"]')
    return [_copy(page, buttons.nth(index)) for index in range(buttons.count())]


@pytest.mark.parametrize(
    "source",
    PAGES_WITH_SNIPPETS,
    ids=lambda source: source.relative_to(ROOT).as_posix(),
)
def test_copy_buttons_copy_the_snippet_files(browsing: Browsing, source: Path) -> None:
    browsing.open(page_path(source))

    copied = copy_every_code_block(browsing.page)

    wrong = [
        str(include)
        for include in includes()
        if include.page == source and expected_copy(include) not in copied
    ]
    assert not wrong, f"no copy button copies exactly: {wrong}"
    assert browsing.problems == []


def test_checklist_copy_button_copies_the_markdown_checklist(
    browsing: Browsing,
) -> None:
    browsing.open("checklist/")

    assert copy_every_code_block(browsing.page) == [checklist_markdown().rstrip()]
    assert browsing.problems == []
