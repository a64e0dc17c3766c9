"""Keep code blocks out of the search index: every page downloads it, and they were 40% of it.

Material's search plugin indexes each page's code blocks whole, and every page of the site
fetches ``search/search_index.json`` as it loads. A block marked ``data-search-exclude`` is
left out (Material's own switch); the prose around it stays, with its inline code, so
``connector_logger`` or ``ERR-008`` is found on the pages that explain it.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.pages import Page

# Every <pre> of a page: the Markdown's fenced and included code, the notebooks' cells.
CODE_BLOCK = re.compile(r"<pre(?=[\s>])")


def exclude_code_blocks(page_html: str) -> str:
    return CODE_BLOCK.sub("<pre data-search-exclude", page_html)


def on_page_content(page_html: str, page: Page, config: Any, files: Any) -> str:
    return exclude_code_blocks(page_html)
