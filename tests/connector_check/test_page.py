"""The "Check your own connector" page: its tables come from the command, its template
section from the committed results, and what its prose says of the template holds in them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from benchmarks.template_check import RESULTS_FILE
from connector_check.checks import CHECKS
from connector_check.scenarios import NAMES
from site_hooks.own_connector import (
    MARKERS,
    PAGE,
    check_table,
    load,
    render,
    scenario_table,
)
from snippets.rules import RULES
from tests.doc_sources import DOCS

PAGE_TEXT = (DOCS / PAGE).read_text(encoding="utf-8")
FIRST_CELL = re.compile(r"^\| `(?P<name>[a-z_0-9]+)` \|", re.MULTILINE)


def test_one_scenario_row_per_scenario_in_run_order() -> None:
    assert FIRST_CELL.findall(scenario_table()) == list(NAMES)


def test_one_check_row_per_check_linking_its_rule_page() -> None:
    table = check_table()
    assert FIRST_CELL.findall(table) == [check.name for check in CHECKS]
    pages = {rule.id: rule.page.as_posix() for rule in RULES}
    for check in CHECKS:
        row = next(r for r in table.splitlines() if r.startswith(f"| `{check.name}`"))
        assert f"[{check.rule}]({pages[check.rule]} " in row


def test_the_page_renders_every_marker_from_the_committed_results() -> None:
    rendered = render(PAGE_TEXT, RESULTS_FILE)
    assert not any(marker in rendered for marker in MARKERS.values())
    commit = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))["commit"]
    assert (
        "https://github.com/OpenCTI-Platform/connectors/tree/"
        f"{commit}/templates/external-import" in rendered
    )
    assert "### As published" in rendered
    assert "### With a source" in rendered


def test_a_page_missing_a_marker_is_refused_naming_the_markers() -> None:
    text = PAGE_TEXT.replace(MARKERS["checks"], "")
    with pytest.raises(PluginError, match="needs each of .* once"):
        render(text, RESULTS_FILE)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "JSONDecodeError"),
        ('{"repository": "x"}', "KeyError: 'commit'"),
        (
            '{"repository": "r", "commit": "c", "commit_date": "d", "template": "t", '
            '"pycti": 7, "subjects": []}',
            "TypeError: 'pycti' is not a string",
        ),
    ],
)
def test_unusable_results_fail_the_build_saying_how_to_remake_them(
    tmp_path: Path, content: str, problem: str
) -> None:
    results = tmp_path / "template_check.json"
    results.write_text(content, encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        load(results)
    message = str(caught.value)
    assert message.startswith(f"template_check.json can't be shown ({problem}")
    assert message.endswith("rerun `nox -s check_template -- PATH_TO_CONNECTORS_CLONE`")


def test_the_json_shape_the_page_shows_is_the_one_written() -> None:
    shown = json.loads(re.search(r"```json\n(.*?)```", PAGE_TEXT, re.DOTALL)[1])  # type: ignore[index]
    written = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    report = written["subjects"][0]["report"]
    assert shown.keys() == report.keys()
    assert shown["scenarios"][0].keys() == report["scenarios"][0].keys()
    shown_check = shown["scenarios"][0]["checks"][0]
    assert shown_check.keys() == report["scenarios"][0]["checks"][0].keys()


def _check(subject: str, scenario: str, check: str) -> dict[str, Any]:
    results = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    chosen = next(s for s in results["subjects"] if s["name"] == subject)
    ran = next(s for s in chosen["report"]["scenarios"] if s["name"] == scenario)
    found: dict[str, Any] = next(c for c in ran["checks"] if c["name"] == check)
    return found


# What the page's "What that means" says, each claim against the results it rests on. When
# a rerun of the template check changes one, change the page with it.
@pytest.mark.parametrize(
    ("subject", "scenario", "check", "passed", "evidence"),
    [
        (
            "with_a_source",
            "bundle_refused",
            "work_not_left_in_progress",
            False,
            "status 'progress', in_error False, errors []; the process exited 0",
        ),
        (
            "with_a_source",
            "bundle_refused",
            "error_reported_on_work",
            False,
            "no error",
        ),
        (
            "with_a_source",
            "platform_gone_mid_run",
            "failed_run_closed_in_error",
            False,
            "status 'progress', in_error False, errors []; the process exited 0",
        ),
        (
            "with_a_source",
            "sigint_mid_run",
            "nonzero_exit_after_stop",
            False,
            "exited 0",
        ),
        (
            "with_a_source",
            "sigterm_mid_run",
            "stopped_run_closed_in_error",
            False,
            "status 'complete', in_error False, errors []; the process was killed by "
            "SIGTERM without handling it (exit 143)",
        ),
        (
            "as_published",
            "clean_run",
            "no_error_for_what_was_handled",
            False,
            "ERROR '', raised 'NotImplementedError'",
        ),
        ("as_published", "clean_run", "work_not_left_in_progress", False, "'progress'"),
        (
            "with_a_source",
            "token_refused",
            "startup_failure_explained",
            True,
            "exited 1",
        ),
        ("as_published", "token_refused", "token_not_leaked", True, "not in"),
        ("with_a_source", "clean_run", "token_not_leaked", True, "not in"),
    ],
)
def test_what_the_page_says_of_the_template_holds_in_its_results(
    subject: str, scenario: str, check: str, passed: bool, evidence: str
) -> None:
    found = _check(subject, scenario, check)
    assert found["passed"] is passed
    assert evidence in found["evidence"]
