"""The home page keeps the navigation and links the README; the build log is clean."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from site_hooks.repository_links import readme_links
from tests.doc_sources import DOCS
from tests.site_build import BUILD_LOG

# What a reader of a clean build log can't act on (issue 13): the notebooks' kernels'
# warning, and nox's notice that uv, which no session uses, is missing.
NOISE = ("Kernel is running over TCP without encryption", "uv binary not found")


def test_the_home_page_does_not_hide_the_navigation() -> None:
    assert "hide:" not in (DOCS / "index.md").read_text(encoding="utf-8")


def test_the_built_home_page_has_the_navigation(built_site: Path) -> None:
    soup = BeautifulSoup(
        (built_site / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    sidebar = soup.select_one(".md-sidebar--primary")

    assert sidebar is not None
    assert not sidebar.has_attr("hidden")
    assert soup.select_one(".md-sidebar--primary .md-nav__link[href='hierarchy/']")


def test_the_readme_is_linked_in_the_repository_when_the_build_knows_it() -> None:
    markdown = "see [the README](README.md) for how to add a rule"

    assert readme_links(markdown, "https://github.com/owner/name/") == (
        "see [the README](https://github.com/owner/name#readme) for how to add a rule"
    )


def test_a_build_without_a_repository_says_where_the_readme_is() -> None:
    markdown = "see [the README](README.md) for how to add a rule"

    assert readme_links(markdown, None) == (
        "see the README (`README.md`, at the root of the repository) for how to add a rule"
    )


def test_the_built_home_page_points_at_the_readme(built_site: Path) -> None:
    """The tests' build has no SITE_REPO_URL: the page says where the file is."""
    text = BeautifulSoup(
        (built_site / "index.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text(" ")

    assert "see the README ( README.md , at the root of the repository)" in text


def test_the_build_log_has_no_noise_a_reader_cannot_act_on(built_site: Path) -> None:
    log = (built_site.parent / BUILD_LOG).read_text(encoding="utf-8")

    assert "Building documentation" in log  # the build's log, not an empty file
    assert [noise for noise in NOISE if noise in log] == []
