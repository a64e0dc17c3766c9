"""Where each page of docs/ ends up in the built site, and what a copy button should copy."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from site_hooks.snippet_blocks import section_lines
from snippets.rules import Rule
from tests.doc_sources import DOCS, Include, displayed_text

# The page Material shows for an unknown address; MkDocs builds it at the site's root.
NOT_FOUND_PAGE = "404.html"
# Material's code annotations: the "# (1)!" at the end of a line is removed from the code,
# and from what is copied; the spaces before it stay.
ANNOTATION = re.compile(r"# \(\d+\)!(?=[ \t]*$)", re.MULTILINE)


def page_path(source: Path) -> str:
    """``docs/basics/small_try.md`` -> ``basics/small_try/``; ``docs/index.md`` -> ``""``."""
    relative = PurePosixPath(source.relative_to(DOCS).as_posix())
    folder = relative.parent if relative.stem == "index" else relative.with_suffix("")
    return "" if str(folder) == "." else f"{folder}/"


def page_sources() -> list[Path]:
    return sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")])


def site_paths() -> list[str]:
    """Every page the site has: one per Markdown page and notebook, and the 404 page."""
    return [page_path(source) for source in page_sources()] + [NOT_FOUND_PAGE]


def html_file(path: str) -> str:
    """The file a site path is served from: ``basics/small_try/index.html``."""
    return path if path.endswith(".html") else f"{path}index.html"


def rule_path(rule: Rule) -> str:
    return page_path(DOCS / rule.page)


def notebook_path(name: str) -> str:
    return page_path(DOCS / "notebooks" / f"{name}.ipynb")


def expected_copy(include: Include) -> str:
    """What the copy button of an included snippet puts on the clipboard.

    The file, or its named section, without section markers (pymdownx.snippets drops them),
    without annotation markers (Material strips them, and leaves the spaces before them), and
    without whitespace at the very end (Material's copy trims it).
    """
    text = include.path.read_text(encoding="utf-8")
    if include.section is not None:
        text = "\n".join(section_lines(text, include.section))
    return ANNOTATION.sub("", displayed_text(text)).rstrip()
