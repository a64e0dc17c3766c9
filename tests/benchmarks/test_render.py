"""The Performance page's tables, verdicts and chart, rendered from a fixture results file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from benchmarks import render
from benchmarks.chart import throughput_chart
from benchmarks.render import CHART_PATH, NOT_MEASURED, goals_table, page_markdown
from benchmarks.results import Results, load
from tests.doc_sources import ROOT

FIXTURE = Path(__file__).with_name("results_fixture.json")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def results() -> Results:
    return load(FIXTURE)


def test_goals_say_what_was_measured_and_whether_it_is_met(results: Results) -> None:
    rows = goals_table(results).splitlines()

    assert rows[2] == (
        "| Peak memory does not grow with the number of IOCs (largest run within 10% of"
        " the smallest, clean data) | 90.0 MiB for 1,000 IOCs, 108.0 MiB for 100,000"
        " (+20.0%, 191 bytes per additional IOC)"
        " | **no**: [why](#what-grows-with-the-number-of-iocs) |"
    )
    assert rows[3] == (
        "| The error handling costs at most 3% (example connector / no handling)"
        " | ratio 1.020 (+2.0%), 3,000 IOCs | **yes** |"
    )
    assert rows[4] == (
        "| `nox -s docs tests` under 60 s, warm, environments reused (`-R`) | 240 s on 2 CPUs"
        " | **no**: [why](#what-the-maintainer-loop-changed-and-what-dominates-it) |"
    )
    assert rows[5] == (
        "| Lighthouse performance at least 95 on every page measured (mobile)"
        " | lowest 93, on `/decide/` | **no**: [why](#what-weighs-on-a-page) |"
    )
    assert rows[6] == (
        "| Lighthouse accessibility at least 100 on every page measured (mobile)"
        " | lowest 96, on `/decide/` | **no** |"
    )
    assert rows[7] == (
        "| `nox -s quick` about 30 s, warm (the quick tier, one worker per core)"
        " | 41 s on 2 CPUs, 870 tests"
        " | **no**: [why](#what-the-quick-tier-spends-its-time-on) |"
    )


def test_lighthouse_goals_are_met_when_every_page_meets_them(
    results: Results,
) -> None:
    assert results.lighthouse is not None
    fast = results.lighthouse.model_copy(update={"pages": results.lighthouse.pages[:1]})

    rows = goals_table(results.model_copy(update={"lighthouse": fast})).splitlines()

    assert rows[5].endswith("| lowest 98, on `/` | **yes** |")
    assert rows[6].endswith("| lowest 100, on `/` | **yes** |")


def test_lighthouse_scores_are_tabulated_with_the_run(results: Results) -> None:
    page = page_markdown(results)

    assert "| `/` | 98 | 100 | 1.9 s | 40 ms | 182 KiB |" in page
    assert "| `/decide/` | 93 | 96 | 2.4 s | 120 ms | 219 KiB |" in page
    assert (
        "Lighthouse 12.8.2, mobile profile, simulated throttling, the site served"
        " gzipped from the same machine.\n\n*Measured by the full run of"
        " 2026-11-01T11:00:00+00:00"
    ) in page


def test_a_quick_tier_within_its_goal_is_met(results: Results) -> None:
    assert results.quick_tier is not None
    quick = results.quick_tier.model_copy(update={"seconds": 30.0})

    rows = goals_table(results.model_copy(update={"quick_tier": quick})).splitlines()

    assert rows[7].endswith("| 30 s on 2 CPUs, 870 tests | **yes** |")


def test_an_unmet_cost_goal_links_to_why(results: Results) -> None:
    assert results.rules_cost is not None
    costly = results.model_copy(
        update={"rules_cost": results.rules_cost.model_copy(update={"ratio": 1.081})}
    )

    rows = goals_table(costly).splitlines()[2:]

    assert rows[1].endswith(
        "| ratio 1.081 (+8.1%), 3,000 IOCs | **no**: [why](#what-the-error-handling-costs-and-why) |"
    )


def test_every_goal_is_not_measured_without_results() -> None:
    rows = goals_table(Results()).splitlines()[2:]

    assert len(rows) == 6
    assert all(row.endswith(f"| {NOT_MEASURED} | not measured |") for row in rows)


def test_throughput_rows_name_the_run_that_measured_them(results: Results) -> None:
    page = page_markdown(results)

    assert (
        "| 1,000 | clean | 0 | 400 | 90.0 MiB | 3 | full run, 2026-11-01T10:00:00+00:00 |"
    ) in page
    assert (
        "| 1,000 | 10% faulty | 97 | 450 | 90.5 MiB | 3"
        " | quick run, 2026-11-02T10:00:00+00:00 |"
    ) in page
    assert f"]({CHART_PATH})" in page


def test_comparisons_show_medians_and_the_ratio(results: Results) -> None:
    page = page_markdown(results)

    assert (
        "| no error handling | the example connector | 3,000 | 10.00 s | 10.20 s"
        " | **1.020** | +0.07 ms | 3 |"
    ) in page
    assert (
        "*Measured by the full run of 2026-11-01T10:30:00+00:00"
        " (2 CPUs, Linux x86_64, Python 3.11.7).*"
    ) in page


def test_profile_and_maintainer_loop_are_tabulated(results: Results) -> None:
    page = page_markdown(results)

    assert "| HTTP to the source (IOCs and PDFs) | 40.00 | 50.0% |" in page
    assert "| `stix2/base.py:__init__` | 2.50 s |" in page
    assert "| `mkdocs build`, cold (no bytecode cache) | 12.0 |" in page
    assert "| Snippet tests, `-n 2` | 20.0 |" in page
    assert "| `nox -R -s docs tests`, first run | 300.0 |" in page
    assert "| `nox -R -s docs tests`, again (warm) | 240.0 |" in page
    assert "| browser | 180.50 s |\n| tests/*.py | 20.00 s |" in page
    assert "| `snippets/basics/small_try/bad.py` | 1.50 s |" in page
    assert "| `tests.browser.test_pages::test_page_loads[index]` | 9.00 s |" in page


def test_sections_without_results_say_how_to_measure() -> None:
    page = page_markdown(Results())

    assert page.count(NOT_MEASURED) == 6 + 6  # six sections, six goals


def test_the_quick_tier_shows_its_markers_runs_and_slowest_tests(
    results: Results,
) -> None:
    page = page_markdown(results)

    assert (
        '`pytest -m "not e2e and not browser and not fuzz and not site"'
        " --numprocesses auto`: 870 tests."
    ) in page
    assert "| `nox -s quick`'s tests, first run | 52.5 |" in page
    assert "| `nox -s quick`'s tests, again (warm) | 41.2 |" in page
    assert (
        "| `tests.sandbox.test_source_wire_faults::test_gzip_bomb_is_small_and_expands"
        "_to_200_mib` | 2.25 s |"
    ) in page
    assert (
        "*Measured by the quick run of 2026-11-02T11:00:00+00:00"
        " (2 CPUs, Linux x86_64, Python 3.11.7).*"
    ) in page


def test_chart_has_a_bar_and_a_label_per_point_in_each_panel(results: Results) -> None:
    svg = ET.fromstring(throughput_chart(results.throughput))

    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") != "#ffffff"]
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # Three points in two panels, and the legend's two swatches.
    assert len(bars) == 3 * 2 + 2
    assert {"400", "450", "380", "90", "108"} <= set(texts)
    assert {"IOCs per second", "Peak memory (MiB)", "100,000 IOCs"} <= set(texts)


def test_chart_without_points_says_so() -> None:
    svg = ET.fromstring(throughput_chart([]))

    assert [t.text for t in svg.iter(f"{SVG}text")] == ["No throughput measured yet."]


@pytest.mark.parametrize(
    "anchor", [render.MEMORY_WHY, render.RULES_WHY, render.LOOP_WHY, render.QUICK_WHY]
)
def test_each_why_link_is_a_heading_of_the_performance_page(anchor: str) -> None:
    page = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    headings = [
        line.removeprefix("## ") for line in page.splitlines() if line.startswith("## ")
    ]
    slugs = {
        "#" + re.sub(r"[^\w\s-]", "", heading).strip().lower().replace(" ", "-")
        for heading in headings
    }
    assert anchor in slugs
