"""The built site: every rule page shows its rule and its Don't / Do code, read from snippets/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from snippets.rules import RULES, Rule
from tests.doc_sources import ROOT, displayed_text

# Material's code annotations: "# (1)!" markers are removed from the code a reader sees.
ANNOTATION = re.compile(r"[ \t]*# \(\d+\)!?[ \t]*$", re.MULTILINE)
REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _rule_page(site: Path, rule: Rule) -> BeautifulSoup:
    return _soup(site / rule.section.slug / rule.slug / "index.html")


def test_home_page_indexes_every_rule(site: Path) -> None:
    table = _soup(site / "index.html").select_one("article table")
    assert isinstance(table, Tag)
    rows = {
        cells[0].get_text(strip=True): cells[1].select_one("a")
        for row in table.select("tbody tr")
        if len(cells := row.select("td")) == 3 and cells[0].get_text(strip=True)
    }
    assert list(rows) == [rule.id for rule in RULES]
    for rule in RULES:
        link = rows[rule.id]
        assert isinstance(link, Tag)
        assert link.get_text() == rule.title
        assert link["href"] == f"{rule.section.slug}/{rule.slug}/#{rule.anchor}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_page_states_its_rule(site: Path, rule: Rule) -> None:
    page = _rule_page(site, rule)
    heading = page.select_one("article h1")
    assert isinstance(heading, Tag)
    assert heading["id"] == rule.anchor
    assert heading.get_text().rstrip("¶") == f"{rule.id} · {rule.title}"
    assert page.title is not None
    assert page.title.get_text().startswith(f"{rule.id} {rule.title}")
    box = page.select_one("article .admonition.rule")
    assert isinstance(box, Tag)
    assert rule.statement in box.get_text(" ", strip=True)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_page_tabs_show_the_snippet_files(site: Path, rule: Rule) -> None:
    tabs = _rule_page(site, rule).select_one("article .tabbed-set")
    assert isinstance(tabs, Tag)
    labels = [
        label.get_text(strip=True) for label in tabs.select(".tabbed-labels label")
    ]
    assert labels == ["Don't", "Do"]
    for block, name in zip(
        tabs.select(".tabbed-block"), ("bad.py", "good.py"), strict=True
    ):
        snippet = ROOT / rule.snippet_dir / name
        title = block.select_one(".filename")
        code = block.select_one("pre code")
        assert isinstance(title, Tag)
        assert isinstance(code, Tag)
        assert title.get_text() == f"{rule.snippet_dir}/{name}"
        expected = ANNOTATION.sub(
            "", displayed_text(snippet.read_text(encoding="utf-8"))
        )
        shown = ANNOTATION.sub("", code.get_text())
        assert shown == expected


def test_nothing_is_loaded_from_the_network(site: Path) -> None:
    remote = []
    for html in site.rglob("*.html"):
        soup = _soup(html)
        for tag, attr in (
            ("link", "href"),
            ("script", "src"),
            ("img", "src"),
            ("iframe", "src"),
        ):
            for element in soup.select(f"{tag}[{attr}]"):
                if REMOTE.match(str(element[attr])):
                    remote.append(
                        f"{html.relative_to(site)}: <{tag} {attr}={element[attr]}>"
                    )
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        remote += [
            f"{css.relative_to(site)}: {m}"
            for m in re.findall(r"url\((?:'|\")?https?:[^)]*\)|@import[^;]*", text)
        ]
    assert not remote, "\n".join(remote)


def test_search_finds_every_rule_id(site: Path) -> None:
    index = json.loads(
        (site / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    titles = {doc["title"] for doc in index["docs"]}
    for rule in RULES:
        assert (
            f"{rule.id} · {rule.title}" in titles or f"{rule.id} {rule.title}" in titles
        )
