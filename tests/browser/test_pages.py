"""Every page of the built site loads in Chromium with no console error and no failed request."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import Browsing
from tests.browser.site_pages import html_file, site_paths

PAGES = site_paths()


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path or "home")
def test_page_loads_with_no_error_and_no_failed_request(
    browsing: Browsing, path: str
) -> None:
    browsing.open(path)
    # The last thing every page loads: a failure to load the index is a problem too.
    browsing.wait_for_search()

    assert browsing.page.locator("article h1").count() == 1
    assert browsing.problems == []


def test_every_built_page_is_one_of_the_pages_checked(built_site: Path) -> None:
    built = sorted(
        page.relative_to(built_site).as_posix() for page in built_site.rglob("*.html")
    )
    assert built == sorted(html_file(path) for path in PAGES)


def test_a_request_outside_the_site_is_refused_and_reported(browsing: Browsing) -> None:
    """The guard behind every other test here: a page that reaches for the network fails."""
    browsing.open("")

    browsing.page.evaluate(
        "fetch('https://fonts.example.org/roboto.woff2').catch(() => null)"
    )

    assert (
        "request outside the site: https://fonts.example.org/roboto.woff2"
        in browsing.problems
    )
