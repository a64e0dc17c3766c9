"""The decision diagrams render as SVG, with the vendored Mermaid and nothing from a CDN."""

from __future__ import annotations

from tests.browser.conftest import Browsing

# Material draws each diagram in a closed shadow root, which no test can look into. Opening
# them changes nothing else on the page.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
    return attachShadow.call(this, { ...init, mode: "open" });
};
"""


def test_both_diagrams_render_from_the_local_mermaid(browsing: Browsing) -> None:
    page = browsing.page
    page.add_init_script(OPEN_SHADOW_ROOTS)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    browsing.open("decide/")

    diagrams = page.locator("article div.mermaid svg")
    diagrams.nth(1).wait_for()
    assert diagrams.count() == 2
    assert "ConfigError naming the setting" in (diagrams.nth(0).text_content() or "")
    assert "WARNING" in (diagrams.nth(1).text_content() or "")
    assert browsing.url("assets/vendor/mermaid/mermaid.min.js") in requested
    assert browsing.problems == []
