"""Notebook pages: a download button, and no script without a source.

mkdocs-jupyter (``include_source: true``) copies each notebook next to its page, but Material 9
shows no link to it: this hook adds one, styled like Material's own "edit" and "view" buttons.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Material Design's "download" icon, as Material's .icons/material/download.svg draws it.
DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)
# nbconvert's template loads MathJax from a CDN; mkdocs-jupyter, given no custom_mathjax_url,
# leaves that script with an empty src, which HTML does not allow: it loads nothing and fires
# an error event. The notebooks have no math, so the script goes.
EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>')


def on_page_content(html: str, page: Page, config: Any, files: Files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    notebook = posixpath.basename(page.file.src_uri)
    return download_button(notebook) + EMPTY_SCRIPT.sub("", html)


def download_button(notebook: str) -> str:
    """A link to the notebook copied beside the page, which sits at ``<page>/index.html``."""
    name = escape(notebook)
    return (
        f'<a href="{name}" download class="md-content__button md-icon" '
        f'title="Download the notebook ({name})">{DOWNLOAD_ICON}</a>'
    )
