"""connector-check's arguments, its exit code 2 for what it can't run, and its reports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from connector_check.checks import (
    MASK,
    CheckResult,
    clip,
    nonzero_exit_after_stop,
    record_shown,
)
from connector_check.cli import main
from connector_check.report import (
    ScenarioResult,
    cell_text,
    markdown,
    table,
    to_json,
)
from connector_check.run import Observed, ProcessRun
from connector_check.scenarios import CLEAN_RUN, NAMES, SCENARIOS, select

from .connectors import IMPORTABLE, small


def test_select_keeps_run_order_and_always_runs_the_clean_run_first() -> None:
    chosen = select(["token_refused", "sigterm_mid_run"])
    assert [s.name for s in chosen] == ["clean_run", "sigterm_mid_run", "token_refused"]
    assert select([]) == SCENARIOS


def test_select_names_an_unknown_scenario_and_the_known_ones() -> None:
    with pytest.raises(
        ValueError, match=r"unknown scenario 'sigkill'; choose among: clean_run,"
    ):
        select(["sigkill"])


def test_bundle_refusal_runs_over_the_api_only_and_says_why() -> None:
    assert "bundle_refused" not in [s.name for s in select([], "amqp")]
    with pytest.raises(
        ValueError, match="bundle_refused can't run over amqp: over amqp a bundle"
    ):
        select(["bundle_refused"], "amqp")


def test_evidence_masks_the_token_flattens_and_bounds_the_text() -> None:
    token = "secret-token-123"
    text = clip(f"line one\nthe token {token} here " + "x" * 500, token)
    assert token not in text
    assert MASK in text
    assert "\n" not in text
    assert len(text) == 300
    assert text.endswith("…")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give the connector's command after --"),
        (["--"], "give the connector's command after --"),
        (["--timeout", "0", "--", "x"], "argument --timeout: must be above 0"),
        (["--timeout", "soon", "--", "x"], "'soon' is not a number of seconds"),
        (["--env", "NO_EQUALS", "--", "x"], "'NO_EQUALS' is not NAME=VALUE"),
        (["--scenario", "nope", "--", "x"], "unknown scenario 'nope'"),
        (["--protocol", "mqtt", "--", "x"], "invalid choice: 'mqtt'"),
    ],
)
def test_bad_arguments_exit_2_saying_what_is_wrong(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_command_that_does_not_start_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--", "/nonexistent/connector"]) == 2
    err = capsys.readouterr().err
    assert (
        "connector-check: error: can't start '/nonexistent/connector': No such file"
        in err
    )


def test_a_command_that_never_registers_exits_2_with_its_last_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--", sys.executable, "-c", "print('not a connector')"]) == 2
    err = capsys.readouterr().err
    assert (
        "connector-check: error: the connector never registered with the platform "
        "(exited 0; last line: 'not a connector')"
    ) in err


def _results() -> list[ScenarioResult]:
    checks = [
        CheckResult(
            "work_not_left_in_progress",
            True,
            "ERR-015",
            "1 work(s)",
            "connector/finally_cleanup/",
        ),
        CheckResult(
            "token_not_leaked",
            False,
            "ERR-002",
            "output line 3: a | b `c`",
            "basics/custom_exceptions/",
        ),
    ]
    return [ScenarioResult(CLEAN_RUN, checks, 1.0)]


def test_json_report_has_the_documented_shape() -> None:
    report = to_json(_results(), "api", "")
    assert report["passed"] is False
    scenarios = report["scenarios"]
    assert isinstance(scenarios, list)
    [scenario] = scenarios
    assert set(scenario) >= {"name", "passed", "checks"}
    assert scenario["passed"] is False
    assert [
        set(c) >= {"name", "passed", "rule", "evidence"} for c in scenario["checks"]
    ] == [True, True]


def test_table_lists_each_check_then_each_failure_with_its_rule_link() -> None:
    text = table(_results(), "https://rules.example/")
    assert "clean_run  token_not_leaked           ERR-002  FAIL" in text
    assert (
        "FAIL clean_run / token_not_leaked (ERR-002, "
        "https://rules.example/basics/custom_exceptions/)\n  output line 3: a | b `c`"
    ) in text
    assert text.endswith("1 of 2 checks passed")


def test_markdown_escapes_evidence_and_links_rules() -> None:
    text = markdown(_results(), "https://rules.example/", "python main.py")
    assert "`python main.py`: 1 of 2 checks passed." in text
    assert (
        "| `clean_run` | `token_not_leaked` | [ERR-002](https://rules.example/basics/custom_exceptions/) | ❌ fail |"
        in text
    )
    assert (
        "- `clean_run` / `token_not_leaked` (ERR-002): output line 3: a \\| b 'c'"
        in text
    )


def test_every_scenario_is_named_once() -> None:
    assert len(NAMES) == len(set(NAMES))


def test_an_unwritable_report_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reports are written once every scenario ran: the table is printed first, so a bad
    # path loses nothing. The good connector makes the run reach that point.
    target = tmp_path / "missing" / "report.json"
    code = main(
        [
            *IMPORTABLE,
            "--scenario",
            "clean_run",
            "--json",
            str(target),
            "--",
            *small("good"),
        ]
    )
    assert code == 2
    out, err = capsys.readouterr()
    assert (
        f"connector-check: error: can't write {target}: No such file or directory"
        in err
    )
    assert out.endswith("4 of 4 checks passed\n")


@pytest.mark.parametrize(
    "command",
    [
        [str(Path(sys.executable).parent / "connector-check")],
        [sys.executable, "-m", "connector_check"],
    ],
    ids=["console-script", "python-m"],
)
def test_the_installed_command_refuses_a_missing_connector_with_exit_2(
    command: list[str],
) -> None:
    result = subprocess.run(
        [*command, "--"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "give the connector's command after --" in result.stderr


def _stopped(scenario_name: str, exit_code: int, killed_by: str) -> Observed:
    scenario = next(s for s in SCENARIOS if s.name == scenario_name)
    run = ProcessRun(exit_code, killed_by, [], [], 0, None, 1.0)
    return Observed(scenario, "t", run, True, [], None, "", "PingConnector")


def test_a_sigint_that_ends_in_pycti_s_sigterm_is_told_as_such() -> None:
    seen = _stopped("sigint_mid_run", 143, "SIGTERM")
    verdict = nonzero_exit_after_stop(seen, seen)
    assert verdict.passed
    assert verdict.evidence == (
        "signal sent during PingConnector; the process was killed by SIGTERM (exit 143) "
        "after the SIGINT it was sent: the exception the signal raised went unhandled, "
        "and pycti answers an unhandled exception with SIGTERM"
    )


def test_a_sigterm_left_unhandled_is_told_as_such() -> None:
    seen = _stopped("sigterm_mid_run", 143, "SIGTERM")
    assert nonzero_exit_after_stop(seen, seen).evidence == (
        "signal sent during PingConnector; the process was killed by SIGTERM without "
        "handling it (exit 143)"
    )


def test_a_record_is_shown_by_level_message_meta_and_exception_without_its_trace() -> (
    None
):
    record = {
        "timestamp": "2026-12-03T10:10:47Z",
        "level": "ERROR",
        "name": "Feed",
        "message": "Stopped",
        "by": "KeyboardInterrupt()",
        "exc_info": 'Traceback (most recent call last):\n  File "x.py", line 3\n'
        "    secret_source_line()\nKeyboardInterrupt",
    }
    assert record_shown(record) == (
        "ERROR 'Stopped' {\"by\": \"KeyboardInterrupt()\"}, raised 'KeyboardInterrupt'"
    )


def test_evidence_in_markdown_shows_as_written() -> None:
    assert cell_text("a <token> in __init__ | [x] `y` & \\d\nnext") == (
        "a &lt;token&gt; in \\_\\_init\\_\\_ \\| \\[x\\] 'y' &amp; \\\\d next"
    )
