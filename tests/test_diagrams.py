"""The build's diagrams: drawn once, kept by digest, inlined without a browser when kept."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

from site_hooks import diagrams
from site_hooks.diagrams import (
    SVG_FOLDER,
    DiagramError,
    diagram_digest,
    inline_diagrams,
    mermaid_sources,
)
from tests.doc_sources import DOCS

# A ```mermaid fence of a page, as written.
MERMAID_FENCE = re.compile(
    r"^```mermaid\n(?P<source>.*?)^```$", re.MULTILINE | re.DOTALL
)
NEW_DIAGRAM = "flowchart LR\n    a[Caught] --> b[Logged]"


def _page_diagrams() -> list[str]:
    return [
        match["source"]
        for page in sorted(DOCS.rglob("*.md"))
        for match in MERMAID_FENCE.finditer(page.read_text(encoding="utf-8"))
    ]


def _block(source: str) -> str:
    """The HTML pymdownx.superfences writes for a ```mermaid fence (mkdocs.yml)."""
    return f'<pre class="mermaid"><code>{html.escape(source)}</code></pre>'


def _no_browser(sources: object) -> dict[str, str]:
    raise AssertionError("a kept diagram started a browser")


def test_the_folder_holds_exactly_the_svg_of_each_diagram_of_the_pages() -> None:
    expected = sorted(f"{diagram_digest(source)}.svg" for source in _page_diagrams())

    # docs/decide.md has two: a fence this test could not read would pass it empty.
    assert len(expected) >= 2
    assert sorted(path.name for path in SVG_FOLDER.iterdir()) == expected, (
        "site_hooks/diagram_svgs/ must hold the SVG of each diagram and nothing else: "
        "build the site to draw a new diagram, and delete the SVGs of removed ones"
    )


def test_a_block_is_read_back_as_written_in_the_page() -> None:
    source = 'flowchart TD\n    a("x < y & z") --> b["<br/>"]'

    assert mermaid_sources(f"<p>before</p>{_block(source)}") == [source]


def test_kept_diagrams_are_inlined_without_a_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(diagrams, "draw", _no_browser)
    first, second = _page_diagrams()

    page = inline_diagrams(f"<h2>One</h2>{_block(first)}<h2>Two</h2>{_block(second)}")

    assert 'class="mermaid"' not in page
    assert page.count('<div class="diagram"><svg id="diagram-') == 2
    assert f'<svg id="diagram-{diagram_digest(first)}"' in page
    assert page.index(diagram_digest(first)) < page.index(diagram_digest(second))


def test_the_digest_changes_with_the_source_only_beyond_blank_edges() -> None:
    assert diagram_digest(NEW_DIAGRAM) == diagram_digest(f"\n{NEW_DIAGRAM}\n")
    assert diagram_digest(NEW_DIAGRAM) != diagram_digest(NEW_DIAGRAM + " --> c")


def test_a_new_diagram_without_playwright_says_how_to_draw_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(diagrams, "SVG_FOLDER", tmp_path)
    # A None entry makes the import fail, as with Playwright not installed.
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)

    with pytest.raises(
        DiagramError, match=r"1 diagram\(s\) changed .* needs Playwright"
    ):
        inline_diagrams(_block(NEW_DIAGRAM))


def test_a_new_diagram_is_drawn_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(diagrams, "SVG_FOLDER", tmp_path)

    page = inline_diagrams(_block(NEW_DIAGRAM))

    kept = tmp_path / f"{diagram_digest(NEW_DIAGRAM)}.svg"
    assert kept.read_text(encoding="utf-8") in page
    assert ">Caught<" in page
    assert "var(--md-mermaid-node-bg-color)" in page
    monkeypatch.setattr(diagrams, "draw", _no_browser)
    assert inline_diagrams(_block(NEW_DIAGRAM)) == page


def test_a_diagram_mermaid_rejects_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(diagrams, "SVG_FOLDER", tmp_path)

    with pytest.raises(
        DiagramError, match=r"can't draw the diagram that starts 'flowchart TD'"
    ):
        inline_diagrams(_block("flowchart TD\n    a --> --> b"))
    assert list(tmp_path.iterdir()) == []
