"""A real browser against the built site: Debian's Chromium, driven by Playwright.

Playwright never downloads a browser here: it launches the system's Chromium, which
``.ci/run`` installs with apt. The site is served from 127.0.0.1 by a thread of the test
process, and every request for anything else is refused and reported, so a page that
reaches for the network fails its test. One browser and one server per test process, so the
suite runs the same under ``pytest -n 2``.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    ViewportSize,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at start-up, and a machine
# with no network refuses those connections; the others keep a headless run quiet and small.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The browser's own events say what went wrong; the access log is noise."""


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site, served on a free port of 127.0.0.1; ends with a slash."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's package with "
            "`apt-get install -y chromium` (bash .ci/run does it on a fresh machine)",
            pytrace=False,
        )
    launched = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
    )
    yield launched
    launched.close()


CANCELLED_BY_NAVIGATION = "net::ERR_ABORTED"


@dataclass
class Browsing:
    """One tab on the served site, and every problem the browser reported while in it."""

    page: Page
    site_url: str
    problems: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.site_url + path

    def open(self, path: str) -> Response:
        """Load a page of the site, and wait until the network is quiet (search index,
        diagrams), so that whatever fails after the load event is reported too."""
        response = self.page.goto(self.url(path), wait_until="networkidle")
        assert response is not None, f"no response for {path}"
        assert response.ok, f"{path}: HTTP {response.status}"
        return response

    def record_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def record_page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught JavaScript error: {error}")

    def record_failure(self, request: Request) -> None:
        # The browser cancels what is still loading (the favicon, say) when the reader
        # moves to another page; that is not a fault of the site. A missing file shows
        # up in record_response as an HTTP error instead.
        if request.failure == CANCELLED_BY_NAVIGATION:
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def record_response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def outside_the_site(self) -> re.Pattern[str]:
        """Every URL but the site's. The browser matches it: the site's own requests never
        wait for a round trip to this process."""
        return re.compile(f"^(?!{re.escape(self.site_url)})")

    def refuse(self, route: Route) -> None:
        """Refuse, and report, a request for anything but the site."""
        self.problems.append(f"request outside the site: {route.request.url}")
        route.abort("blockedbyclient")


@pytest.fixture
def browsing(browser: Browser, site_url: str) -> Iterator[Browsing]:
    """A fresh context (no stored tab or palette choice) that may use the clipboard."""
    context = browser.new_context(
        viewport=VIEWPORT,
        color_scheme="light",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    tab = Browsing(page, site_url)
    context.route(tab.outside_the_site(), tab.refuse)
    page.on("console", tab.record_console)
    page.on("pageerror", tab.record_page_error)
    page.on("requestfailed", tab.record_failure)
    page.on("response", tab.record_response)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_folder(artifacts_folder: Path) -> Path:
    folder = artifacts_folder / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder
