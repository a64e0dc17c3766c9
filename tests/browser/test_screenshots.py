"""Screenshots of the home page and a rule page, kept in test-artifacts/ for a person to look at.

Each is checked to be the page as drawn: a PNG as wide as the viewport and as tall as the
page, whose header has the header's colour and whose title has text drawn on it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from snippets.rules import RULES
from tests.browser.conftest import VIEWPORT, Browsing
from tests.browser.site_pages import rule_path

PAGE_HEIGHT = "() => document.documentElement.scrollHeight"
HEADER_COLOUR = (
    "() => getComputedStyle(document.querySelector('.md-header')).backgroundColor"
)
RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)")
# A corner of the header, clear of its logo, title and buttons.
HEADER_CORNER = (2, 2)


def _rgb(css_colour: str) -> tuple[int, int, int]:
    match = RGB.match(css_colour)
    assert match is not None, f"not an rgb() colour: {css_colour}"
    red, green, blue = (int(part) for part in match.groups())
    return red, green, blue


@pytest.mark.parametrize(
    ("name", "path"),
    [("home", ""), (f"rule-{RULES[0].anchor}", rule_path(RULES[0]))],
)
def test_screenshot(
    browsing: Browsing, screenshot_folder: Path, name: str, path: str
) -> None:
    page = browsing.page
    browsing.open(path)
    title = page.locator("article h1")
    title.wait_for()
    shot = screenshot_folder / f"{name}.png"
    height: int = page.evaluate(PAGE_HEIGHT)

    page.screenshot(path=shot, full_page=True)

    print(f"screenshot of /{path}: {shot}")
    image = Image.open(io.BytesIO(shot.read_bytes()))
    assert image.format == "PNG", f"{shot} is a {image.format}, not a PNG"
    assert image.size == (VIEWPORT["width"], height), (
        f"{shot} is {image.size[0]}x{image.size[1]} px; the page is "
        f"{VIEWPORT['width']}x{height} px"
    )
    pixels = image.convert("RGB")
    header = _rgb(page.evaluate(HEADER_COLOUR))
    assert pixels.getpixel(HEADER_CORNER) == header, (
        f"{shot}: the header's corner is {pixels.getpixel(HEADER_CORNER)}, "
        f"not the header's colour {header}: the page was not drawn"
    )
    box = title.bounding_box()
    assert box is not None, f"/{path}: the title is not laid out"
    left, top = round(box["x"]), round(box["y"])
    title_area = pixels.crop(
        (left, top, left + round(box["width"]), top + round(box["height"]))
    )
    colours = title_area.getcolors(maxcolors=2)
    assert colours is None, (
        f"{shot}: the title {title.inner_text()!r} is drawn in one colour "
        f"{colours}: its text is missing"
    )
    assert browsing.problems == []
