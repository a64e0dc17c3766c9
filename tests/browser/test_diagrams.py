"""The decision diagrams are inline SVG, drawn at build time: no script, the page's palette."""

from __future__ import annotations

from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import VIEWPORT, Browsing

# Each HTML label's content against the box Mermaid measured for it at build time, in px.
LABEL_OVERFLOW = """
() => [...document.querySelectorAll("article .diagram foreignObject")].map(box => {
    const content = box.firstElementChild.getBoundingClientRect();
    const room = box.getBoundingClientRect();
    return {text: box.textContent, over: Math.max(content.width - room.width,
                                                   content.height - room.height)};
}).filter(label => label.over > 1)
"""


# The size the labels are drawn at: Mermaid's font size scaled as the SVG is on the page.
LABEL_PIXELS = """
() => [...document.querySelectorAll("article .diagram > svg")].map(svg =>
    svg.getBoundingClientRect().width / svg.viewBox.baseVal.width
    * parseFloat(getComputedStyle(svg).fontSize))
"""
READABLE_PIXELS = 12
PHONE: ViewportSize = {"width": 390, "height": 844}


def _label_colour(page: Page) -> str:
    colour: str = page.locator("article .diagram .nodeLabel").first.evaluate(
        "label => getComputedStyle(label).color"
    )
    return colour


def test_both_diagrams_are_inline_svg_and_no_script_draws_them(
    browsing: Browsing,
) -> None:
    page = browsing.page
    scripts: list[str] = []
    page.on(
        "request",
        lambda request: (
            scripts.append(request.url) if request.resource_type == "script" else None
        ),
    )

    browsing.open("decide/")

    diagrams = page.locator("article .diagram > svg")
    assert diagrams.count() == 2
    assert "ConfigError naming the setting" in (diagrams.nth(0).text_content() or "")
    assert "WARNING" in (diagrams.nth(1).text_content() or "")
    assert page.locator("pre.mermaid, div.mermaid").count() == 0
    assert [url for url in scripts if "mermaid" in url] == []
    assert page.evaluate("typeof window.mermaid") == "undefined"
    assert browsing.problems == []


def test_no_label_overflows_the_box_measured_for_it(browsing: Browsing) -> None:
    browsing.open("decide/")

    assert browsing.page.evaluate(LABEL_OVERFLOW) == []


def test_the_diagrams_take_the_colours_of_the_palette(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("decide/")
    light = _label_colour(page)

    page.get_by_title("Switch to dark mode").click()

    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert _label_colour(page) != light
    assert browsing.problems == []


def test_the_diagrams_show_after_instant_navigation(browsing: Browsing) -> None:
    """Material swaps the page in without a reload: the SVG comes with the page."""
    page = browsing.page
    browsing.open("hierarchy/")

    page.locator(
        ".md-sidebar--primary a.md-nav__link", has_text="Which exception"
    ).filter(visible=True).click()
    page.wait_for_url("**/decide/")

    page.locator("article .diagram > svg").nth(1).wait_for()
    assert page.locator("article .diagram > svg").count() == 2
    assert browsing.problems == []


def test_the_labels_read_at_a_readable_size_on_a_laptop_and_a_phone(
    browsing: Browsing,
) -> None:
    """A diagram wider than the column scrolls sideways rather than shrink its labels."""
    page = browsing.page
    sizes = {}
    try:
        for name, viewport in (("laptop", VIEWPORT), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            browsing.open("decide/")
            sizes[name] = page.evaluate(LABEL_PIXELS)
    finally:
        page.set_viewport_size(VIEWPORT)

    for name, pixels in sizes.items():
        assert len(pixels) == 2, name
        assert min(pixels) >= READABLE_PIXELS, f"{name}: labels at {pixels} px"
    assert browsing.problems == []
