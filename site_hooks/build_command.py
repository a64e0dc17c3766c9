"""How the site is built: one definition for ``nox -s docs``, ``nox -s preview``, ``nox -s
bench``, the tests' shared build and the GitHub Pages workflow (tested to agree)."""

from __future__ import annotations

# The folder `nox -s docs` builds into, which `nox -s preview` serves and the Pages
# workflow uploads.
SITE_DIR = "site"
# MkDocs 1.6 prints a banner about MkDocs 2 on every build; a user can't act on it.
DOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(site_dir: str = SITE_DIR) -> list[str]:
    """``mkdocs build --strict``: a warning (a broken link, include or notebook) fails it."""
    return ["mkdocs", "build", "--strict", "--site-dir", site_dir]
