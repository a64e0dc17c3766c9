"""connector-check on real pycti processes: the project's example connector passes, and each
small connector of ``connectors/`` fails exactly the checks of the behaviour it breaks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from connector_check.cli import main
from connector_check.scenarios import NAMES

from .connectors import IMPORTABLE, small

# The scenarios the small connectors are run under: platform_gone_mid_run needs a connector
# that closes, at its next run, a work it could not close; the example connector shows it.
SMALL = [name for name in NAMES if name != "platform_gone_mid_run"]


def check(
    tmp_path: Path, command: list[str], *options: str, scenarios: list[str] = SMALL
) -> tuple[int, dict[str, Any], str]:
    report = tmp_path / "report.json"
    selected = [arg for name in scenarios for arg in ("--scenario", name)]
    code = main(
        [*IMPORTABLE, *options, *selected, "--json", str(report), "--", *command]
    )
    return code, json.loads(report.read_text(encoding="utf-8")), report.read_text()


def failed(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (scenario["name"], c["name"], c["rule"])
        for scenario in report["scenarios"]
        for c in scenario["checks"]
        if not c["passed"]
    }


def test_the_good_connector_passes_every_check(tmp_path: Path) -> None:
    code, report, _ = check(tmp_path, small("good"))
    assert (code, failed(report)) == (0, set())
    assert [s["name"] for s in report["scenarios"]] == SMALL


@pytest.mark.parametrize("protocol", ["api", "amqp"])
def test_the_example_connector_passes_every_check(
    tmp_path: Path, protocol: str
) -> None:
    command = [sys.executable, "-m", "snippets.example_connector"]
    code, report, _ = check(
        tmp_path, command, "--demo-source", "--protocol", protocol, scenarios=[]
    )
    assert (code, failed(report)) == (0, set())
    expected = [n for n in NAMES if protocol == "api" or n != "bundle_refused"]
    assert [s["name"] for s in report["scenarios"]] == expected


def test_closing_outside_finally_and_exiting_0_on_sigterm_fails_err_015_008_014(
    tmp_path: Path,
) -> None:
    code, report, _ = check(tmp_path, small("template_like"))
    assert code == 1
    assert failed(report) == {
        ("sigterm_mid_run", "stopped_run_closed_in_error", "ERR-015"),
        ("sigterm_mid_run", "nonzero_exit_after_stop", "ERR-008"),
        ("sigint_mid_run", "stopped_run_closed_in_error", "ERR-015"),
        ("sigint_mid_run", "nonzero_exit_after_stop", "ERR-008"),
        ("bundle_refused", "work_not_left_in_progress", "ERR-015"),
        ("bundle_refused", "failed_run_closed_in_error", "ERR-014"),
        ("bundle_refused", "error_reported_on_work", "ERR-014"),
    }
    sigterm = next(s for s in report["scenarios"] if s["name"] == "sigterm_mid_run")
    evidence = {c["name"]: c["evidence"] for c in sigterm["checks"]}
    assert evidence["nonzero_exit_after_stop"] == (
        "signal sent during StixBundlePush; the process exited 0"
    )
    assert sigterm["passed"] is False
    rule_pages = {c["rule_page"] for c in sigterm["checks"]}
    assert "basics/let_exit_propagate/" in rule_pages


def test_a_logged_token_fails_err_002_everywhere_without_being_reported(
    tmp_path: Path,
) -> None:
    code, report, text = check(
        tmp_path, small("leaks_token"), scenarios=["sigterm_mid_run"]
    )
    assert code == 1
    assert failed(report) == {
        ("clean_run", "token_not_leaked", "ERR-002"),
        ("sigterm_mid_run", "token_not_leaked", "ERR-002"),
    }
    evidences = [
        c["evidence"]
        for s in report["scenarios"]
        for c in s["checks"]
        if c["name"] == "token_not_leaked"
    ]
    assert len(evidences) == 2
    for evidence in evidences:
        assert '"message": "Settings", "attributes": {"url": "http://127.0.0.1:' in (
            evidence
        )
        assert '"token": "<token>"' in evidence


def test_a_silent_start_up_failure_fails_err_010(tmp_path: Path) -> None:
    code, report, _ = check(
        tmp_path,
        small("silent_startup"),
        scenarios=["token_refused", "token_lacks_capability"],
    )
    assert code == 1
    assert failed(report) == {
        ("token_refused", "startup_failure_explained", "ERR-010"),
        ("token_lacks_capability", "startup_failure_explained", "ERR-010"),
    }
    refused = report["scenarios"][1]["checks"][0]["evidence"]
    assert refused.startswith(
        "the process was killed by SIGTERM without handling it (exit 143); last line:"
    )


def test_a_state_moved_on_by_a_failed_run_fails_err_015(tmp_path: Path) -> None:
    code, report, _ = check(
        tmp_path,
        small("moves_state_on_failure"),
        scenarios=["sigterm_mid_run", "bundle_refused"],
    )
    assert code == 1
    assert failed(report) == {
        ("sigterm_mid_run", "state_not_moved_on", "ERR-015"),
        ("bundle_refused", "state_not_moved_on", "ERR-015"),
    }


def test_an_error_logged_for_a_handled_stop_fails_err_013(tmp_path: Path) -> None:
    code, report, _ = check(
        tmp_path,
        small("logs_error_on_stop"),
        scenarios=["sigterm_mid_run", "sigint_mid_run"],
    )
    assert code == 1
    assert failed(report) == {
        ("sigterm_mid_run", "no_error_for_what_was_handled", "ERR-013"),
        ("sigint_mid_run", "no_error_for_what_was_handled", "ERR-013"),
    }
    sigterm = next(s for s in report["scenarios"] if s["name"] == "sigterm_mid_run")
    evidence = {c["name"]: c["evidence"] for c in sigterm["checks"]}
    assert evidence["no_error_for_what_was_handled"] == (
        "1 ERROR record(s), the first: ERROR 'Stopped' "
        '{"attributes": {"by": "TerminationRequestedError()"}}, raised '
        "'tests.connector_check.connectors.common.TerminationRequestedError'"
    )


def test_markdown_report_is_written_for_a_pull_request(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code = main(
        [
            *IMPORTABLE,
            *("--scenario", "clean_run", "--markdown", str(target)),
            *("--", *small("good")),
        ]
    )
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("### connector-check\n\n`")
    assert ": 4 of 4 checks passed." in text
    assert (
        "| `clean_run` | `token_not_leaked` | [ERR-002](basics/custom_exceptions/) | ✅ pass |"
        in text
    )
