"""The page of the guide's defects: its counts add up, and every defect has a stable anchor.

docs/example_connector/guide_defects.md lists the defects of the guide's example in one table
per file of the example, and sums them up twice: in a table by file and severity, and in its
first paragraph. Reviewers cite a defect by its ID (``D07``) or link to its row
(``guide_defects/#d07``), so each ID must be unique, anchored in its row, and never move.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.doc_sources import DOCS

PAGE = DOCS / "example_connector" / "guide_defects.md"
SEVERITIES = ("Crash", "Silent harm", "Misleading", "Cosmetic")
DEFECTS_HEADER = "| ID | Guide | What goes wrong | Corrected |"
SUMMARY_HEADER = (
    "| File of the example | Crash | Silent harm | Misleading | Cosmetic | Total |"
)
ID_CELL = re.compile(r"^\[D(?P<n>\d{2})\]\(#d(?P=n)\)\{ #d(?P=n) \}$")
SEVERITY = re.compile(r"^\*\*(?P<severity>[^*]+)\*\*\.")
# The first 50 were numbered in page order; later ones take the next free number. A few IDs
# pinned to the guide's line they judge: an ID that moves breaks every citation of it.
PINNED = {
    "D01": "`# README.md`, six modules",
    "D07": "`except (HTTPError, ReadTimeoutError, ValidationError)`",
    "D27": "`except (DataRetrivalError, UseCaseError) as err:`",
    "D41": "`self.helper.api.work.to_processed(",
    "D50": "A single test, for a 401",
    "D51": "`# emit warning if not in list`",
    "D52": "`return DomainName(**params)`, and the branches elided",
    "D53": "`def convert_ioc(self, ioc:IOCResponseModel, raw_pdf=None)",
}
FIRST_NUMBERED_IN_PAGE_ORDER = 50


@dataclass(frozen=True)
class Defect:
    number: int
    section: str
    guide: str
    severity: str

    @property
    def id(self) -> str:
        return f"D{self.number:02d}"


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row; a ``|`` inside a code span is no separator."""
    assert row.startswith("|"), row
    assert row.endswith("|"), row
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    for char in row[1:-1]:
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    return cells


def _table_rows(lines: list[str], header: int) -> list[list[str]]:
    rows = []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def _text() -> str:
    return PAGE.read_text(encoding="utf-8")


def _defects() -> list[Defect]:
    lines = _text().splitlines()
    defects, section = [], ""
    for number, line in enumerate(lines):
        if line.startswith("## "):
            section = line[3:].strip()
        if line != DEFECTS_HEADER:
            continue
        for cells in _table_rows(lines, number):
            assert len(cells) == 4, cells
            match = ID_CELL.match(cells[0])
            assert match, f"not an anchored ID cell: {cells[0]!r}"
            severity = SEVERITY.match(cells[2])
            assert severity, f"{cells[0]}: no severity at the start of {cells[2]!r}"
            defects.append(
                Defect(int(match["n"]), section, cells[1], severity["severity"])
            )
    return defects


def _summary() -> dict[str, dict[str, int]]:
    lines = _text().splitlines()
    assert lines.count(SUMMARY_HEADER) == 1
    rows = _table_rows(lines, lines.index(SUMMARY_HEADER))
    return {
        cells[0].strip("*"): {
            column: int(cell.strip("*") or 0)
            for column, cell in zip((*SEVERITIES, "Total"), cells[1:], strict=True)
        }
        for cells in rows
    }


def _section_of(label: str) -> str:
    """The heading of the defects' section a summary row counts."""
    if label == "README and the block as a whole":
        return "README.md, and the block as a whole"
    return label.strip("`")


def test_every_defect_has_a_known_severity() -> None:
    defects = _defects()
    assert defects
    unknown = [(d.id, d.severity) for d in defects if d.severity not in SEVERITIES]
    assert not unknown


def test_ids_are_unique_and_consecutive() -> None:
    numbers = [d.number for d in _defects()]
    assert len(numbers) == len(set(numbers)), Counter(numbers).most_common(3)
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_ids_do_not_move() -> None:
    numbers = [d.number for d in _defects()]
    first = [n for n in numbers if n <= FIRST_NUMBERED_IN_PAGE_ORDER]
    assert first == sorted(first), "D01 to D50 are numbered in the order of the page"
    guide = {d.id: d.guide for d in _defects()}
    moved = {
        i: guide.get(i)
        for i, start in PINNED.items()
        if not guide.get(i, "").startswith(start)
    }
    assert not moved


def test_summary_table_counts_the_rows() -> None:
    summary = _summary()
    total = summary.pop("All")
    counted: dict[str, Counter[str]] = {}
    for defect in _defects():
        counted.setdefault(defect.section, Counter())[defect.severity] += 1
    assert [_section_of(label) for label in summary] == list(counted)
    for label, row in summary.items():
        rows = counted[_section_of(label)]
        assert {s: row[s] for s in SEVERITIES} == {s: rows[s] for s in SEVERITIES}, (
            label
        )
        assert row["Total"] == sum(rows.values()), label
    for column in (*SEVERITIES, "Total"):
        assert total[column] == sum(row[column] for row in summary.values()), column


def test_first_paragraph_gives_the_same_counts() -> None:
    text = " ".join(_text().split())
    severities = Counter(d.severity for d in _defects())
    crash, harm = severities["Crash"], severities["Silent harm"]
    count = sum(severities.values())
    for claim in (
        f"The example holds **{count} defects**.",
        f"**{crash + harm} are dangerous**: {crash} crash at import or at run time",
        f"and {harm} do harm without crashing",
        f"{severities['Misleading']} are misleading",
        f"and {severities['Cosmetic']} are cosmetic.",
        f"Each defect has an ID, from `D01` to `D{count:02d}`",
    ):
        assert claim in text


@pytest.fixture(scope="module")
def page(built_site: Path) -> BeautifulSoup:
    html = built_site / "example_connector" / "guide_defects" / "index.html"
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def test_each_row_is_anchored_in_the_built_page(page: BeautifulSoup) -> None:
    ids = [tag["id"] for tag in page.select("[id]")]
    for defect in _defects():
        anchor = defect.id.lower()
        assert ids.count(anchor) == 1, anchor
        link = page.select_one(f"#{anchor}")
        assert isinstance(link, Tag)
        assert link.name == "a"
        assert link["href"] == f"#{anchor}"
        assert link.get_text() == defect.id
        cell = link.parent
        assert isinstance(cell, Tag)
        assert cell.name == "td"
        assert cell.find_previous_sibling("td") is None, f"{anchor}: not the first cell"
