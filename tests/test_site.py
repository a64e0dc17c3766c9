"""The built site: every rule page shows its rule and its Don't / Do code, read from snippets/."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from connector_lint.codes import CODES
from connector_lint.codes.examples import own_findings
from connector_lint.expectations import expected_findings
from connector_lint.findings import CHECKS, RULE_OF_CODE, RUN_CODES
from connector_lint.profile import ruff_descriptions
from site_hooks.snippet_blocks import (
    PAIR,
    SHOWN_SECTION,
    changed_lines,
    full_script,
    output_lines,
    section_lines,
)
from snippets.rules import RULES, Rule
from tests.doc_sources import ROOT

# Material's code annotations: "# (1)!" markers are removed from the code a reader sees.
ANNOTATION = re.compile(r"[ \t]*# \(\d+\)!?[ \t]*$", re.MULTILINE)
REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    """The site built once per test process by the fixture in tests/conftest.py."""
    return built_site


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
    checked = page.select_one("article p.checked-against")
    assert isinstance(checked, Tag)
    assert checked.get_text(strip=True).startswith(
        f"Checked against pycti {version('pycti')} and Python "
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_page_ends_with_its_references(site: Path, rule: Rule) -> None:
    heading = _rule_page(site, rule).find("h2", id="references")
    assert isinstance(heading, Tag)
    listing = heading.find_next_sibling("ul")
    assert isinstance(listing, Tag)
    assert [(a.get_text(), a["href"]) for a in listing.select("li > a")] == [
        (reference.title, reference.url) for reference in rule.references
    ]


def _text(tag: Tag | None) -> str:
    assert isinstance(tag, Tag)
    return ANNOTATION.sub("", tag.get_text()).rstrip("\n")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_page_tabs_show_the_snippet_files(site: Path, rule: Rule) -> None:
    """Each tab: the section to copy with its differences highlighted, its output, and
    the full script, all read from the snippet files."""
    tabs = _rule_page(site, rule).select_one("article .tabbed-set")
    assert isinstance(tabs, Tag)
    labels = [
        label.get_text(strip=True) for label in tabs.select(".tabbed-labels label")
    ]
    assert labels == ["Don't", "Do"]
    for block, name in zip(
        tabs.select(".tabbed-block"), ("bad.py", "good.py"), strict=True
    ):
        path = f"{rule.snippet_dir}/{name}"
        text = (ROOT / path).read_text(encoding="utf-8")
        other = (ROOT / rule.snippet_dir / PAIR[name]).read_text(encoding="utf-8")
        shown = section_lines(text, SHOWN_SECTION)
        code = block.select_one(":scope > .highlight")
        assert isinstance(code, Tag)
        assert _text(code.select_one(".filename")) == path
        # pymdownx.snippets drops the blank lines that end a section.
        assert _text(code.select_one("pre code")) == ANNOTATION.sub(
            "", "\n".join(shown)
        ).rstrip("\n")
        changed = changed_lines(shown, section_lines(other, SHOWN_SECTION))
        assert changed, "a Don't and its Do must differ somewhere"
        assert [_text(line) for line in code.select(".hll")] == [
            ANNOTATION.sub("", shown[number - 1]) for number in changed
        ]
        output = block.select_one(":scope > .admonition.output")
        assert isinstance(output, Tag)
        assert _text(output.select_one("pre code")) == "\n".join(output_lines(text))
        script = block.select_one(":scope > details.example")
        assert isinstance(script, Tag)
        assert _text(script.select_one(".filename")) == path
        assert _text(script.select_one("pre code")) == full_script(text)


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


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_page_says_how_the_rule_is_enforced(site: Path, rule: Rule) -> None:
    page = _rule_page(site, rule)
    boxes = page.select("article .admonition")
    # Right under the rule's statement, before the page's own text.
    assert [box["class"] for box in boxes[:2]] == [
        ["admonition", "rule"],
        ["admonition", "enforced"],
    ]
    box = boxes[1]
    title = box.select_one(".admonition-title")
    assert isinstance(title, Tag)
    text = box.get_text(" ", strip=True)
    marked = expected_findings((ROOT / rule.snippet_dir / "bad.py").read_text())
    tab_note = "In the Don't tab, a # [CODE] comment marks each line a code flags."
    assert (tab_note in text) == bool(marked)
    if not rule.enforced_by:
        assert title.get_text(strip=True) == "Enforced by review only"
        assert text.startswith(f"Enforced by review only {rule.review}")
        assert box.select("li") == []
        return
    assert title.get_text(strip=True) == "Enforced by"
    descriptions = CHECKS | ruff_descriptions()
    assert [item.get_text(" ", strip=True) for item in box.select("li")] == [
        f"{code} {'connector-lint' if code in CHECKS else 'ruff'}: {descriptions[code]}"
        for code in rule.enforced_by
    ]
    assert [link["href"] for link in box.select("li a")] == [
        f"../../checks/#{code.lower()}" for code in rule.enforced_by
    ]
    assert text.endswith(f"Left to review: {rule.review}")


def test_checks_page_shows_every_code_from_its_folder_with_a_finding_the_checker_prints(
    site: Path,
) -> None:
    page = _soup(site / "checks" / "index.html")
    for code, folder in CODES.items():
        heading = page.find(id=code.lower())
        assert isinstance(heading, Tag)
        assert heading.name == "h3"
        assert heading.get_text().rstrip("¶") == f"{code} · {folder.title}"
        about = heading.find_next_sibling("p")
        assert isinstance(about, Tag)
        tabs = heading.find_next("div", class_="tabbed-set")
        example = heading.find_next("div", class_="language-text")
        assert isinstance(tabs, Tag)
        assert isinstance(example, Tag)
        assert tabs.find_previous("h3") is heading
        assert example.find_previous("h3") is heading
        labels = [
            label.get_text(strip=True) for label in tabs.select(".tabbed-labels label")
        ]
        shown = [block.select_one("pre code") for block in tabs.select(".tabbed-block")]
        assert labels == ["Don't", "Do"]
        assert [c.get_text().rstrip() if c else None for c in shown] == [
            folder.text("bad.py").rstrip(),
            folder.text("good.py").rstrip(),
        ]
        (first, *_) = own_findings(folder, "bad.py")
        assert example.get_text().strip() == first.render()
        assert first.path == f"connector_lint/codes/{code.lower()}/bad.py"
        if code in RUN_CODES:
            assert about.get_text() == "Not a rule: it is about the run itself."
            assert first.render().endswith(f"(docs/checks.md#{code.lower()})")
            continue
        rule = RULE_OF_CODE[code]
        link = about.select_one("a")
        assert isinstance(link, Tag)
        assert (link.get_text(), link["href"]) == (
            f"{rule.id} {rule.title}",
            f"../{rule.section.slug}/{rule.slug}/#{rule.anchor}",
        )


def test_checks_page_links_the_rules_its_codes_details_name(site: Path) -> None:
    """The details of OCE006 name [[ERR-001]]: the rules hook links it, after this one."""
    page = _soup(site / "checks" / "index.html")
    heading = page.find(id="oce006")
    assert isinstance(heading, Tag)
    links = [a for a in heading.find_all_next("a") if a.find_previous("h3") is heading]
    assert "../basics/small_try/#err-001" in [a["href"] for a in links]
    assert "[[ERR-001]]" not in page.get_text()


def test_checks_page_lists_every_ruff_code_of_the_profile_with_its_rule(
    site: Path,
) -> None:
    page = _soup(site / "checks" / "index.html")
    for rule in RULES:
        for code in rule.enforced_by:
            if code in CHECKS:
                continue
            cell = page.find(id=code.lower())
            assert isinstance(cell, Tag)
            row = cell.find_parent("tr")
            assert isinstance(row, Tag)
            cells = [td.get_text(" ", strip=True) for td in row.select("td")]
            assert cells[:3] == [
                code,
                ruff_descriptions()[code],
                f"{rule.id} {rule.title}",
            ]
