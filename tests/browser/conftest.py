"""A real browser against the built site: Debian's Chromium, driven by Playwright.

Playwright never downloads a browser here: it launches the system's Chromium, which
``.ci/run`` installs with apt. The site is served from 127.0.0.1 by a thread of the test
process, and every request for anything else is refused and reported, so a page that
reaches for the network fails its test. One browser, one browser context and one server per
test process (per xdist worker), so the suite runs the same under ``pytest -n 2``; each test
gets a page of its own in that context (the search tests share one, whose index Material
builds once), and the site's localStorage (where Material keeps the palette and tab choices)
is emptied at a page's first load. The context's HTTP cache is kept:
a page whose theme scripts, styles and search index are cached loads in about half the time
of the first.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    ViewportSize,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from site_hooks.chromium import CHROMIUM, CHROMIUM_FLAGS

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
# Material's search says "Initializing search" until its worker has loaded the index.
SEARCH_IS_READY = """() => {
    const meta = document.querySelector(".md-search-result__meta");
    return meta !== null && !meta.textContent.includes("Initializing search");
}"""
# The pages of one worker share a context, and so its localStorage, where Material keeps the
# palette and the tab choices. A page's first load empties it before Material reads it, so
# that no test sees what another stored (a clear at the end of a test can lose a race with
# Material's own writes); a reload within the test keeps what the test stored, as a reader's
# browser does. sessionStorage is the tab's own: it tells the first load from a reload.
FIRST_LOAD_FORGETS = """
try {
    if (!sessionStorage.getItem("__test_page_started")) {
        localStorage.clear();
        sessionStorage.setItem("__test_page_started", "1");
    }
} catch (error) {
    // about:blank and set_content pages have no storage of the site's: nothing to forget.
}
"""


@dataclass
class Browsing:
    """One tab on the served site, and every problem the browser reported while in it."""

    page: Page
    site_url: str
    problems: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.site_url + path

    def open(self, path: str) -> Response:
        """Load a page of the site, up to its load event: the page and the theme's scripts
        have run. What comes later (the search index, the diagrams) each test waits for
        itself, on the element or the condition it checks, never on a quiet network."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.ok, f"{path}: HTTP {response.status}"
        return response

    def wait_for_search(self) -> None:
        """Until the search has loaded its worker and the site's index: Material then
        leaves its "Initializing search" placeholder. A failed load is a recorded problem."""
        self.page.wait_for_function(SEARCH_IS_READY)

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


def outside_the_site(site_url: str) -> re.Pattern[str]:
    """Every URL but the site's. The browser matches it: the site's own requests never wait
    for a round trip to this process."""
    return re.compile(f"^(?!{re.escape(site_url)})")


@dataclass
class SharedContext:
    """The worker's browser context, and its open tabs, that its refusals are reported to."""

    context: BrowserContext
    tabs: list[Browsing] = field(default_factory=list)

    def refuse(self, route: Route) -> None:
        """Refuse, and report to the tab that asked, a request for anything but the site.

        A worker's request has no page of its own: it is reported to every open tab."""
        try:
            asking = [route.request.frame.page]
        except PlaywrightError:
            asking = [tab.page for tab in self.tabs]
        for tab in self.tabs:
            if tab.page in asking:
                tab.problems.append(f"request outside the site: {route.request.url}")
        route.abort("blockedbyclient")

    @contextmanager
    def tab(self, site_url: str) -> Iterator[Browsing]:
        """A new page, as a first-time reader opens it: no stored tab or palette choice,
        the light scheme, the usual viewport (a page's own emulation and size go with it)."""
        page = self.context.new_page()
        page.add_init_script(FIRST_LOAD_FORGETS)
        tab = Browsing(page, site_url)
        page.on("console", tab.record_console)
        page.on("pageerror", tab.record_page_error)
        page.on("requestfailed", tab.record_failure)
        page.on("response", tab.record_response)
        self.tabs.append(tab)
        try:
            yield tab
        finally:
            self.tabs.remove(tab)
            page.close()


@pytest.fixture(scope="session")
def shared_context(browser: Browser, site_url: str) -> Iterator[SharedContext]:
    """One context for the worker's tests; it may use the clipboard."""
    context = browser.new_context(
        viewport=VIEWPORT,
        color_scheme="light",
        permissions=["clipboard-read", "clipboard-write"],
    )
    shared = SharedContext(context)
    context.route(outside_the_site(site_url), shared.refuse)
    yield shared
    context.close()


@pytest.fixture
def browsing(shared_context: SharedContext, site_url: str) -> Iterator[Browsing]:
    """A tab of the test's own (``SharedContext.tab``)."""
    with shared_context.tab(site_url) as tab:
        yield tab


@pytest.fixture(scope="session")
def screenshot_folder(artifacts_folder: Path) -> Path:
    folder = artifacts_folder / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder
