"""Notebook pages show the output of the run made at build time, and offer the notebook."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Browsing
from tests.browser.site_pages import notebook_path
from tests.doc_sources import DOCS


def _outputs(page: Page) -> list[str]:
    return page.locator(".jp-OutputArea-output").all_inner_texts()


def test_playground_shows_the_run_its_log_records_and_the_work(
    browsing: Browsing,
) -> None:
    page = browsing.page
    browsing.open(notebook_path("playground"))

    summary = "\n".join(_outputs(page))
    assert "Connector exit code: 0" in summary
    assert "Secrets found in the logs or on the platform: 0" in summary
    log_rows = page.locator(".jp-OutputArea-output table").nth(0).locator("tbody tr")
    skipped = log_rows.filter(has_text="IOC skipped")
    assert skipped.count() == 3
    assert skipped.first.locator("td").nth(1).inner_text() == "WARNING"
    work = page.locator(".jp-OutputArea-output table").nth(1).locator("tbody tr")
    assert work.count() == 1
    assert work.locator("td").nth(1).inner_text() == "complete"
    assert browsing.problems == []


def test_exceptions_notebook_shows_real_tracebacks(browsing: Browsing) -> None:
    browsing.open(notebook_path("exceptions_up_close"))

    errors = "\n".join(
        browsing.page.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        ).all_inner_texts()
    )
    for printed_by_python in (
        "The above exception was the direct cause of the following exception:",
        "During handling of the above exception, another exception occurred:",
        "Exception Group Traceback (most recent call last):",
        "snippets.hierarchy.errors.DataRetrievalError: Cannot reach the source "
        "(ConnectionError)",
    ):
        assert printed_by_python in errors
    assert "sk-live-4f9a" not in errors
    assert browsing.problems == []


def test_notebook_output_survives_instant_navigation(browsing: Browsing) -> None:
    """Material swaps the page in without a reload when a nav link is clicked."""
    page = browsing.page
    browsing.open("decide/")

    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Playground").filter(
        visible=True
    ).click()
    page.wait_for_url(f"**/{notebook_path('playground')}")

    table = page.locator(".jp-OutputArea-output table").first
    table.wait_for()
    assert table.is_visible()
    assert "Connector exit code: 0" in "\n".join(_outputs(page))
    assert browsing.problems == []


def test_download_button_serves_the_committed_notebook(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open(notebook_path("playground"))

    button = page.locator("article a.md-content__button[download]")
    # Material turns the site's links into absolute URLs once the page has loaded.
    href = button.get_attribute("href")
    assert href == browsing.url(notebook_path("playground") + "playground.ipynb")
    response = page.request.get(href)
    assert response.ok
    assert response.body() == (DOCS / "notebooks" / "playground.ipynb").read_bytes()
    assert browsing.problems == []
