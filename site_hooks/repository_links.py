"""A page links the README as ``[text](README.md)``; this hook points the link at the README
in the site's repository (``repo_url``, set by the build's environment: see mkdocs.yml).

The README is not a page of the site: it is the maintainers' guide, read in the repository.
A build that knows no repository (a local one) writes where to find the file instead, in
plain text, rather than a link to nowhere.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

README_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\(README\.md\)")


def on_page_markdown(
    markdown: str, page: Page, config: MkDocsConfig, files: Files
) -> str:
    return readme_links(markdown, config.repo_url)


def readme_links(markdown: str, repo_url: str | None) -> str:
    """``[the README](README.md)`` -> a link to the repository's README, or plain text."""
    if repo_url:
        return README_LINK.sub(rf"[\g<text>]({repo_url.rstrip('/')}#readme)", markdown)
    return README_LINK.sub(
        r"\g<text> (`README.md`, at the root of the repository)", markdown
    )
