"""Screenshots of the home page and a rule page, kept in test-artifacts/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippets.rules import RULES
from tests.browser.conftest import Browsing
from tests.browser.site_pages import rule_path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("name", "path"),
    [("home", ""), (f"rule-{RULES[0].anchor}", rule_path(RULES[0]))],
)
def test_screenshot(
    browsing: Browsing, screenshot_folder: Path, name: str, path: str
) -> None:
    browsing.open(path)
    shot = screenshot_folder / f"{name}.png"

    browsing.page.screenshot(path=shot, full_page=True)

    print(f"screenshot of /{path}: {shot}")
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    assert browsing.problems == []
