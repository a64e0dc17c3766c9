"""What each page weighs: every file the browser fetches to show it, gzipped as served.

The site is served without compression here (tests/browser/conftest.py), so each response's
body is gzipped as a web server would send it, and files whose format is compressed already
(images, fonts) count as they are. The sum is the page's weight on the wire, and it must stay
within the page's budget: a page that starts loading a large script again fails here first.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import pytest
from playwright.sync_api import Request

from tests.browser.conftest import Browsing
from tests.browser.site_pages import site_paths

KIB = 1024
# A page without diagrams: the HTML, Material's CSS and script, the search index and worker
# (about 190 KiB in all; a notebook page, its cells' output and styles inline, about 280).
PAGE_BUDGET = 300 * KIB
# The decision page inlines its two diagrams' SVG (about 40 KiB gzipped together, some 220
# KiB in all) and loads no script for them; with Mermaid's it weighed 1.1 MiB.
BUDGETS = {"decide/": 260 * KIB}
# A server sends these as they are: compressing them again gains nothing.
COMPRESSED_FORMATS = (
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
    "font/woff2",
)
# As a web server's gzip (nginx's and Apache's default level).
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Fetched:
    url: str
    bytes_on_the_wire: int


def wire_size(body: bytes, content_type: str) -> int:
    """The size a server sends ``body`` in: gzipped, unless its format is compressed."""
    if content_type.split(";")[0].strip() in COMPRESSED_FORMATS:
        return len(body)
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL))


def _fetched(request: Request) -> Fetched:
    response = request.response()
    assert response is not None, f"{request.url} finished without a response"
    return Fetched(
        request.url,
        wire_size(response.body(), response.header_value("content-type") or ""),
    )


def page_weight(browsing: Browsing, path: str) -> list[Fetched]:
    """Every file the page fetched, once it has loaded and the network is quiet."""
    finished: list[Request] = []
    browsing.page.on("requestfinished", lambda request: finished.append(request))
    browsing.open(path)
    return [_fetched(request) for request in finished]


def budget(path: str) -> int:
    return BUDGETS.get(path, PAGE_BUDGET)


def test_wire_size_gzips_text_and_keeps_compressed_formats() -> None:
    text = b"connector_logger " * 1000

    assert wire_size(text, "text/html; charset=utf-8") < len(text) / 20
    assert wire_size(text, "image/png") == len(text)


@pytest.mark.parametrize("path", site_paths(), ids=lambda path: path or "home")
def test_page_stays_within_its_budget(browsing: Browsing, path: str) -> None:
    fetched = page_weight(browsing, path)

    total = sum(file.bytes_on_the_wire for file in fetched)
    largest = sorted(fetched, key=lambda file: -file.bytes_on_the_wire)[:3]
    assert total <= budget(path), (
        f"/{path} transfers {total / KIB:.0f} KiB gzipped, over its budget of "
        f"{budget(path) / KIB:.0f} KiB; the largest files: "
        + ", ".join(
            f"{file.url} ({file.bytes_on_the_wire / KIB:.0f} KiB)" for file in largest
        )
    )
    assert browsing.problems == []
