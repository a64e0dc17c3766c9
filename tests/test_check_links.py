"""The offline link check of the built site: internal files and anchors, nothing remote."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_hooks.check_links import BrokenLink, broken_links, main


def _page(site: Path, name: str, body: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    _page(
        tmp_path,
        "index.html",
        '<h1 id="top">Home</h1><a href="rules/one/#err-001">1</a>',
    )
    _page(
        tmp_path, "rules/one/index.html", '<h1 id="err-001">One</h1><a href="#">top</a>'
    )
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_text("", encoding="utf-8")
    return tmp_path


def test_a_site_whose_links_all_resolve_passes(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _page(
        site,
        "rules/two/index.html",
        '<link href="../../assets/site.css" rel="stylesheet">'
        '<a href="../one/">one</a><a href="../../index.html#top">home</a>'
        '<a href="https://example.invalid/x#y">elsewhere</a><a href="mailto:a@b.c">mail</a>'
        '<img src="data:image/png;base64,AAAA"><a name="old-anchor"></a>'
        '<a href="#old-anchor">here</a><a href="../one/#err%2D001">encoded</a>',
    )

    assert broken_links(site) == []
    assert main([str(site)]) == 0
    assert capsys.readouterr().out == (
        f"Checked the internal links of 3 pages in {site}: no broken links.\n"
    )


def test_a_missing_page_a_missing_anchor_and_a_folder_are_reported(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "empty").mkdir()
    _page(
        site,
        "rules/two/index.html",
        '<a href="../three/">gone</a><a href="../one/#err-009">no anchor</a>'
        '<script src="../../assets/app.js"></script><a href="../../empty">folder</a>'
        '<a href="#nowhere">self</a>',
    )

    assert broken_links(site) == [
        BrokenLink(
            "rules/two/index.html", "../three/", "no file rules/three/index.html"
        ),
        BrokenLink(
            "rules/two/index.html",
            "../one/#err-009",
            "no id 'err-009' on rules/one/index.html",
        ),
        BrokenLink(
            "rules/two/index.html", "../../assets/app.js", "no file assets/app.js"
        ),
        BrokenLink(
            "rules/two/index.html",
            "../../empty",
            "empty is a folder without index.html",
        ),
        BrokenLink(
            "rules/two/index.html",
            "#nowhere",
            "no id 'nowhere' on rules/two/index.html",
        ),
    ]
    assert main([str(site)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "rules/two/index.html: ../three/: no file rules/three/index.html"
    assert (
        out[-1] == f"Checked the internal links of 3 pages in {site}: 5 broken links."
    )


def test_a_link_above_the_site_root_is_resolved_as_a_browser_does(site: Path) -> None:
    _page(site, "rules/two/index.html", '<a href="../../../outside.html">up</a>')

    assert broken_links(site) == [
        BrokenLink(
            "rules/two/index.html", "../../../outside.html", "no file outside.html"
        )
    ]


def test_a_missing_site_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "site"

    assert main([str(missing)]) == 2
    assert (
        capsys.readouterr().err
        == f"no site folder at {missing}: build the site first\n"
    )


def test_the_built_site_has_no_broken_internal_link(built_site: Path) -> None:
    assert [str(link) for link in broken_links(built_site)] == []
