"""Draw the Mermaid diagrams at build time: a page shows an SVG, and loads no script for it.

The vendored Mermaid (``vendor/mermaid/``, 3.5 MB) ran in every reader's browser on every
page, though one page has diagrams. This hook swaps each ``mermaid`` block for the SVG that
Mermaid draws of it, inline, so the page's own palette (light or dark) colours it: the theme
below uses Material's ``--md-mermaid-*`` variables, as Material's own rendering does.

Drawing takes a browser (Playwright driving Debian's Chromium), so the SVGs are kept in
``diagram_svgs/``, committed, each named by a digest of what it is drawn from: the diagram's
source, the Mermaid file and the theme. A build whose diagrams have not changed starts no
browser and needs no Playwright; a new or changed diagram is drawn once and its SVG written
there, to commit with the page. tests/test_diagrams.py checks that the folder holds exactly
the SVGs of the diagrams the pages have.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from site_hooks.chromium import CHROMIUM, CHROMIUM_FLAGS

HERE = Path(__file__).parent
MERMAID_JS = HERE / "vendor" / "mermaid" / "mermaid.min.js"
SVG_FOLDER = HERE / "diagram_svgs"

# What pymdownx.superfences writes for a ```mermaid block (the custom fence in mkdocs.yml).
MERMAID_BLOCK = re.compile(
    r'<pre\b[^>]*\bclass="mermaid"[^>]*><code>(?P<source>.*?)</code></pre>', re.S
)
# The site sets no web font (theme.font: false): this is Material's text font stack then.
# Labels are measured with it at build time, so a reader's browser draws them in the same.
FONT_FAMILY = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"
# Colours from the page's palette, as Material's own Mermaid theme does, so a diagram
# follows the light/dark switch; labels measured once keep their size in both.
THEME_CSS = """
.node circle, .node ellipse, .node path, .node polygon, .node rect {
  fill: var(--md-mermaid-node-bg-color); stroke: var(--md-mermaid-node-fg-color);
}
marker { fill: var(--md-mermaid-edge-color) !important; }
.edgeLabel .label rect { fill: transparent; }
.label { color: var(--md-mermaid-label-fg-color); font-family: var(--md-mermaid-font-family); }
.label foreignObject { overflow: visible; line-height: normal; }
.nodeLabel, .nodeLabel p { color: var(--md-mermaid-label-fg-color); }
.edgeLabel, .edgeLabel p, .label div .edgeLabel {
  background-color: var(--md-mermaid-label-bg-color);
  color: var(--md-mermaid-edge-color); fill: var(--md-mermaid-label-bg-color);
}
.edgePath .path, .flowchart-link { stroke: var(--md-mermaid-edge-color); }
.edgePath .arrowheadPath { fill: var(--md-mermaid-edge-color); stroke: none; }
.cluster rect {
  fill: var(--md-default-fg-color--lightest); stroke: var(--md-default-fg-color--lighter);
}
.nodeLabel, .nodeLabel p, .edgeLabel p { font-family: var(--md-mermaid-font-family); margin: 0; }
"""
MERMAID_CONFIG: dict[str, Any] = {
    "startOnLoad": False,
    "fontFamily": FONT_FAMILY,
    "themeCSS": THEME_CSS,
}
# The page the diagrams are drawn in: the font variable the theme reads, and nothing else.
DRAWING_PAGE = (
    "<!doctype html><html><head><style>"
    f":root {{ --md-mermaid-font-family: {FONT_FAMILY}; }}"
    "</style></head><body></body></html>"
)
DRAW = "async ([id, source]) => (await mermaid.render(id, source)).svg"


class DiagramError(PluginError):
    """A diagram could not be drawn; the message says which and what to do."""


def diagram_digest(source: str) -> str:
    """The name of a diagram's SVG: changes with its source, the Mermaid file or the theme."""
    digest = hashlib.sha256(MERMAID_JS.read_bytes())
    digest.update(json.dumps(MERMAID_CONFIG, sort_keys=True).encode())
    digest.update(source.strip().encode())
    return digest.hexdigest()[:16]


def svg_path(digest: str) -> Path:
    return SVG_FOLDER / f"{digest}.svg"


def mermaid_sources(page_html: str) -> list[str]:
    """The source of each Mermaid block of a page's HTML, as written in the Markdown."""
    return [html.unescape(m["source"]) for m in MERMAID_BLOCK.finditer(page_html)]


def draw(sources: Iterable[str]) -> dict[str, str]:
    """Each diagram's SVG by its digest, drawn by the vendored Mermaid in Chromium."""
    wanted = {diagram_digest(source): source for source in sources}
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as err:
        raise DiagramError(
            f"{len(wanted)} diagram(s) changed and must be drawn again, which needs "
            "Playwright: install the test extra (pip install -e '.[test]') and build again, "
            f"then commit the new files of {SVG_FOLDER.name}/"
        ) from err
    if not CHROMIUM.is_file():
        raise DiagramError(
            f"{len(wanted)} diagram(s) changed and must be drawn again, in Chromium: "
            f"there is none at {CHROMIUM}; install it with `apt-get install -y chromium`"
        )
    svgs: dict[str, str] = {}
    with (
        sync_playwright() as driver,
        driver.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        ) as browser,
    ):
        page = browser.new_page()
        page.set_content(DRAWING_PAGE)
        page.add_script_tag(path=str(MERMAID_JS))
        page.evaluate("config => mermaid.initialize(config)", MERMAID_CONFIG)
        for digest, source in wanted.items():
            try:
                svgs[digest] = page.evaluate(DRAW, [f"diagram-{digest}", source])
            except Error as err:
                first_line = source.strip().splitlines()[0]
                raise DiagramError(
                    f"Mermaid can't draw the diagram that starts {first_line!r}: "
                    f"{err.message}"
                ) from err
    return svgs


def svgs_for(sources: list[str]) -> dict[str, str]:
    """Each source's SVG by digest: from the folder, drawing (and saving) only the new."""
    missing = [s for s in sources if not svg_path(diagram_digest(s)).is_file()]
    if missing:
        SVG_FOLDER.mkdir(exist_ok=True)
        for digest, svg in draw(missing).items():
            svg_path(digest).write_text(svg, encoding="utf-8")
    return {
        (digest := diagram_digest(s)): svg_path(digest).read_text(encoding="utf-8")
        for s in sources
    }


def inline_diagrams(page_html: str) -> str:
    """The page's HTML with each Mermaid block replaced by its SVG."""
    svgs = svgs_for(mermaid_sources(page_html))

    def figure(match: re.Match[str]) -> str:
        svg = svgs[diagram_digest(html.unescape(match["source"]))]
        return f'<div class="diagram">{svg}</div>'

    return MERMAID_BLOCK.sub(figure, page_html)


def on_page_content(page_html: str, page: Page, config: Any, files: Any) -> str:
    if 'class="mermaid"' not in page_html:
        return page_html
    return inline_diagrams(page_html)
