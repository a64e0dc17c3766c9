"""The "Failure modes" tables: written from the scenarios the fault matrix runs, row by row."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from connector_sandbox.fault_matrix import (
    BASE_SETTINGS,
    COUNT,
    FAULTY_IOC,
    Kind,
    Outcome,
    Record,
    Scenario,
    Window,
)
from connector_sandbox.fault_scenarios import SCENARIOS
from site_hooks.failure_modes import FAILURE_MODES_MARKER, failure_mode_tables
from tests.doc_sources import DOCS

ROW_NAME = re.compile(r"^\| .*?<br>`(?P<name>[a-z0-9_]+)` \|", re.MULTILINE)
# A cell ends at a pipe that is not escaped.
CELL_SEPARATOR = re.compile(r"(?<!\\)\|")


def _sections() -> dict[str, str]:
    text = failure_mode_tables(SCENARIOS)
    return dict(section.split("\n", 1) for section in text.split("## ")[1:])


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in CELL_SEPARATOR.split(row)[1:-1]]


def test_one_table_per_kind_one_row_per_scenario_in_order() -> None:
    sections = _sections()
    assert list(sections) == [kind.value for kind in Kind]
    for kind in Kind:
        names = ROW_NAME.findall(sections[kind.value])
        assert names == [s.name for s in SCENARIOS if s.kind is kind]


def test_every_row_has_five_cells_and_its_exit_code_last() -> None:
    rows = {
        match["name"]: line
        for section in _sections().values()
        for line in section.splitlines()
        if (match := ROW_NAME.match(line))
    }
    for scenario in SCENARIOS:
        cells = _cells(rows[scenario.name])
        assert len(cells) == 5, rows[scenario.name]
        assert cells[-1] == str(scenario.outcome.exit_code)


def test_a_row_says_what_the_test_asserts() -> None:
    (row,) = [
        line
        for line in failure_mode_tables(SCENARIOS).splitlines()
        if "`source_404_on_one_ioc`" in line
    ]
    assert _cells(row) == [
        "404 on one IOC: the source lost it *(api)*<br>`source_404_on_one_ioc`",
        "Skips the IOC with a WARNING; the others go on. Asking again would not help.",
        "**WARNING** `IOC skipped`",
        "Work **completed**.<br>"
        "Message: `7 of 8 IOCs ingested; 1 skipped (1 DataRetrievalError)`<br>"
        "7 of 8 IOCs imported.<br>"
        "State saved; the window moves on.",
        "0",
    ]


def test_levels_are_loudest_first_with_counts_and_the_startup_line() -> None:
    scenario = Scenario(
        "made_up",
        Kind.PLATFORM,
        "a | fault",
        "does",
        Outcome(
            1,
            (
                Record("WARNING", "w"),
                Record("ERROR", "e `quoted`"),
                Record("ERROR", "e `quoted`", count=2),
            ),
            None,
            0,
            Window.UNTOUCHED,
            startup_error="example-connector: boom",
        ),
    )
    (row,) = failure_mode_tables([scenario]).splitlines()[-1:]
    assert _cells(row) == [
        "a \\| fault *(api)*<br>`made_up`",
        "does",
        "**ERROR** `e 'quoted'` ×3<br>**WARNING** `w`<br>stderr: `example-connector: boom`",
        "No work.",
        "1",
    ]


def test_the_page_has_the_marker_the_hook_replaces() -> None:
    page = DOCS / "example_connector" / "failure_modes.md"
    assert page.read_text(encoding="utf-8").count(FAILURE_MODES_MARKER) == 1


def test_the_page_describes_the_setup_the_matrix_uses() -> None:
    """The prose around the tables names the matrix's settings: it must name the real ones."""
    text = " ".join(
        (DOCS / "example_connector" / "failure_modes.md")
        .read_text(encoding="utf-8")
        .split()
    )
    assert f"the demo source's {COUNT} IOCs" in text
    assert f"`{FAULTY_IOC}`" in text
    timeout = BASE_SETTINGS["IOC_SOURCE_TIMEOUT_SECONDS"]
    attempts = BASE_SETTINGS["IOC_SOURCE_MAX_ATTEMPTS"]
    assert f"a timeout of {timeout} s and {attempts} attempts per request" in text
    assert f"`CONNECTOR_LOG_LEVEL={BASE_SETTINGS['CONNECTOR_LOG_LEVEL']}`" in text
    assert f"ingests all {COUNT} IOCs" in text


def test_the_built_page_shows_every_scenario_with_its_exit_code(
    built_site: Path,
) -> None:
    html = (
        built_site / "example_connector" / "failure_modes" / "index.html"
    ).read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert isinstance(article, Tag)
    headings = [h.get_text(strip=True).rstrip("¶") for h in article.select("h2")]
    assert [kind.value for kind in Kind] == [h for h in headings if h in set(Kind)]
    shown = [
        (
            row.select("td")[0].select("code")[-1].get_text(),
            row.select("td")[-1].get_text(),
        )
        for row in article.select("table tbody tr")
    ]
    assert shown == [(s.name, str(s.outcome.exit_code)) for s in SCENARIOS]
