"""The checks: each judges one thing a rule asks of a connector, on what a scenario showed.

A check applies to the scenarios whose expected ending (``Expect``) it is about; it passes or
fails with evidence: the log record, the work as the platform showed it, the exit code.
Evidence never holds the token: it is replaced by ``<token>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from connector_check.run import Observed, ProcessRun
from connector_check.scenarios import SIGNALS, Expect, Midrun
from snippets.rules import RULES

ERROR_LEVELS = frozenset({"ERROR", "CRITICAL"})
MAX_EVIDENCE_CHARS = 300
MASK = "<token>"
_PAGES = {rule.id: rule.page.with_suffix("").as_posix() + "/" for rule in RULES}


@dataclass(frozen=True)
class Verdict:
    passed: bool
    evidence: str


@dataclass(frozen=True)
class Check:
    name: str
    rule: str
    summary: str  # what passing means, in one sentence, for reports and the page
    applies_to: frozenset[Expect]
    judge: Callable[[Observed, Observed], Verdict]  # (this scenario, the clean run)

    @property
    def rule_page(self) -> str:
        """The rule's page, relative to the site's root."""
        return _PAGES[self.rule]


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    rule: str
    evidence: str
    rule_page: str

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "passed": self.passed,
            "rule": self.rule,
            "evidence": self.evidence,
            "rule_page": self.rule_page,
        }


def clip(text: str, token: str) -> str:
    """Evidence text: the token masked, one line, at most MAX_EVIDENCE_CHARS."""
    flat = " ".join(text.replace(token, MASK).split())
    if len(flat) <= MAX_EVIDENCE_CHARS:
        return flat
    return flat[: MAX_EVIDENCE_CHARS - 1] + "…"


def _ending(seen: Observed, run: ProcessRun | None = None) -> str:
    run = run or seen.run
    if run.exit_code is None:
        return "did not exit before the timeout and was killed"
    sent = seen.scenario.midrun
    if run.killed_by and sent in SIGNALS and run.killed_by != sent.value:
        # pycti's sys.excepthook sends SIGTERM to its own process.
        return (
            f"was killed by {run.killed_by} (exit {run.exit_code}) after the {sent.value} "
            "it was sent: the exception the signal raised went unhandled, and pycti "
            f"answers an unhandled exception with {run.killed_by}"
        )
    if run.killed_by:
        return (
            f"was killed by {run.killed_by} without handling it (exit {run.exit_code})"
        )
    return f"exited {run.exit_code}"


def _work_shown(work: dict[str, Any]) -> str:
    errors = [entry["message"] for entry in work["errors"]]
    return (
        f"work {work['name']!r}: status {work['status']!r}, in_error "
        f"{work['in_error']}, errors {errors}"
    )


def _final_works(seen: Observed) -> list[dict[str, Any]]:
    return seen.works_after_rerun if seen.rerun is not None else seen.works


def _first_work(seen: Observed) -> dict[str, Any] | None:
    """The scenario's own run's work, as the platform shows it at the end."""
    if not seen.works:
        return None
    first_id = seen.works[0]["id"]
    return next(w for w in _final_works(seen) if w["id"] == first_id)


# region the judges
def work_not_left_in_progress(seen: Observed, clean: Observed) -> Verdict:
    stuck = [w for w in _final_works(seen) if w["status"] != "complete"]
    after = " after a second run" if seen.rerun is not None else ""
    if stuck:
        return Verdict(
            False,
            f"{_work_shown(stuck[0])}{after}; the process {_ending(seen)}",
        )
    return Verdict(True, f"{len(_final_works(seen))} work(s), all complete{after}")


def work_closed_in_error(seen: Observed, clean: Observed) -> Verdict:
    work = _first_work(seen)
    if work is None:
        return Verdict(False, "the run opened no work, so the failure shows nowhere")
    if work["status"] == "complete" and work["in_error"]:
        return Verdict(True, _work_shown(work))
    return Verdict(False, f"{_work_shown(work)}; the process {_ending(seen)}")


def work_closed_without_error(seen: Observed, clean: Observed) -> Verdict:
    work = _first_work(seen)
    if work is None:
        return Verdict(False, f"the run opened no work; the process {_ending(seen)}")
    passed = work["status"] == "complete" and not work["in_error"]
    return Verdict(passed, _work_shown(work))


def error_on_work(seen: Observed, clean: Observed) -> Verdict:
    work = _first_work(seen)
    if work is None:
        return Verdict(False, "the run opened no work to report the error on")
    if work["errors"]:
        return Verdict(True, f"the work's error: {work['errors'][0]['message']!r}")
    return Verdict(False, f"no error on the {_work_shown(work)}")


def _error_records(seen: Observed) -> list[dict[str, Any]]:
    return [r for r in seen.run.records if r.get("level") in ERROR_LEVELS]


# What pycti's JSON formatter writes on every record; the rest is the call's meta.
_RECORD_FIELDS = frozenset({"timestamp", "level", "name", "message", "exc_info"})


def record_shown(record: dict[str, Any]) -> str:
    """A log record in one line: its level, message, meta and the exception's last line.

    The traceback itself is left out: it quotes the connector's source.
    """
    shown = f"{record.get('level')} {str(record.get('message', ''))!r}"
    meta = {k: v for k, v in record.items() if k not in _RECORD_FIELDS}
    if meta:
        shown += f" {json.dumps(meta, default=str)}"
    trace = record.get("exc_info")
    if isinstance(trace, str) and trace.strip():
        shown += f", raised {trace.strip().splitlines()[-1].strip()!r}"
    return shown


def error_logged(seen: Observed, clean: Observed) -> Verdict:
    errors = _error_records(seen)
    if errors:
        return Verdict(True, f"ERROR record: {record_shown(errors[0])}")
    levels = sorted({str(r.get("level")) for r in seen.run.records})
    return Verdict(False, f"no ERROR record; levels logged: {levels or 'none'}")


def no_error_for_handled(seen: Observed, clean: Observed) -> Verdict:
    errors = _error_records(seen)
    if errors:
        return Verdict(
            False,
            f"{len(errors)} ERROR record(s), the first: {record_shown(errors[0])}",
        )
    return Verdict(True, "no ERROR record")


def _not_staged(seen: Observed) -> Verdict | None:
    """The evidence when the scenario's mid-run event never happened."""
    if seen.scenario.midrun is Midrun.NONE or seen.midrun_operation is not None:
        return None
    return Verdict(
        False,
        f"{seen.scenario.midrun} never happened: the connector made no call to the "
        f"platform it waits on after opening its work; the process {_ending(seen)}",
    )


def nonzero_exit_after_stop(seen: Observed, clean: Observed) -> Verdict:
    run = seen.run
    passed = run.exit_code not in (0, None)
    return Verdict(
        passed,
        f"signal sent during {seen.midrun_operation}; the process {_ending(seen, run)}",
    )


def startup_failure_explained(seen: Observed, clean: Observed) -> Verdict:
    run = seen.run
    lines = [line for line in run.lines if line.strip()]
    last = lines[-1] if lines else ""
    if run.exit_code in (0, None) or run.killed_by:
        return Verdict(False, f"the process {_ending(seen, run)}; last line: {last!r}")
    if seen.works:
        return Verdict(False, f"it opened a work with a refused token: {seen.works[0]}")
    if not _says_why(last):
        return Verdict(
            False, f"exited {run.exit_code}, but its last line says nothing: {last!r}"
        )
    return Verdict(True, f"exited {run.exit_code}; last line: {last!r}")


def _says_why(line: str) -> bool:
    """A message, not a traceback's frame, an empty record or a bare exception name."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        text = line.strip()
        return not line.startswith((" ", "\t", "Traceback")) and (
            ":" in text or " " in text
        )
    if not isinstance(record, dict):
        return False
    return record.get("level") in ERROR_LEVELS and bool(
        str(record.get("message", "")).strip()
    )


def state_not_moved_on(seen: Observed, clean: Observed) -> Verdict:
    moved = clean.state
    if not isinstance(moved, dict) or not moved:
        return Verdict(True, "the clean run stored no state to compare with")
    state = seen.state
    if not isinstance(state, dict) or not set(moved) <= set(state):
        return Verdict(
            True,
            f"state left: {state!r}; a clean run stores the keys {sorted(moved)}",
        )
    return Verdict(
        False,
        f"the failed run stored every key a clean run stores, {sorted(moved)}: the next "
        f"run starts where a successful one would; state: {state!r}",
    )


def token_not_leaked(seen: Observed, clean: Observed) -> Verdict:
    token = seen.token
    runs = [seen.run] if seen.rerun is None else [seen.run, seen.rerun]
    for run in runs:
        if run.token_line is not None:
            where = run.token_line - 1
            shown = run.lines[where] if where < len(run.lines) else "(not kept)"
            return Verdict(False, f"output line {run.token_line}: {shown}")
    for work in _final_works(seen):
        if token in json.dumps(work):
            return Verdict(False, f"the {_work_shown(work)}")
    if token in seen.pushed:
        return Verdict(False, "a pushed STIX object holds it")
    if token in json.dumps(seen.state):
        return Verdict(False, "the connector's state holds it")
    return Verdict(True, "not in the output, the works, the bundles or the state")


# endregion

_AFTER_FAILURE = frozenset({Expect.STOPPED, Expect.FAILED})
_RUNS = frozenset({Expect.SUCCESS, Expect.STOPPED, Expect.FAILED})
CHECKS: tuple[Check, ...] = (
    Check(
        "work_not_left_in_progress",
        "ERR-015",
        "No work stays in progress once the connector has exited.",
        _RUNS,
        work_not_left_in_progress,
    ),
    Check(
        "work_closed_without_error",
        "ERR-014",
        "A run that went well closes its work, not in error.",
        frozenset({Expect.SUCCESS}),
        work_closed_without_error,
    ),
    Check(
        "stopped_run_closed_in_error",
        "ERR-015",
        "A stopped run closes its work in error, in finally, before the process exits.",
        frozenset({Expect.STOPPED}),
        work_closed_in_error,
    ),
    Check(
        "failed_run_closed_in_error",
        "ERR-014",
        "A run stopped by an unexpected error closes its work in error.",
        frozenset({Expect.FAILED}),
        work_closed_in_error,
    ),
    Check(
        "error_reported_on_work",
        "ERR-014",
        "An unexpected failure is reported on the work, where the platform's users see it.",
        frozenset({Expect.FAILED}),
        error_on_work,
    ),
    Check(
        "error_logged",
        "ERR-013",
        "An unexpected failure is logged at ERROR.",
        frozenset({Expect.FAILED}),
        error_logged,
    ),
    Check(
        "no_error_for_what_was_handled",
        "ERR-013",
        "A clean run, a slow platform or a stop asked for logs no ERROR.",
        frozenset({Expect.SUCCESS, Expect.STOPPED}),
        no_error_for_handled,
    ),
    Check(
        "nonzero_exit_after_stop",
        "ERR-008",
        "A stop is not reported as success: the process exits non-zero.",
        frozenset({Expect.STOPPED}),
        nonzero_exit_after_stop,
    ),
    Check(
        "startup_failure_explained",
        "ERR-010",
        "A start-up failure exits non-zero by itself, its last line saying why.",
        frozenset({Expect.STARTUP_REFUSED}),
        startup_failure_explained,
    ),
    Check(
        "state_not_moved_on",
        "ERR-015",
        "A failed or stopped run does not store the state a successful one would.",
        _AFTER_FAILURE,
        state_not_moved_on,
    ),
    Check(
        "token_not_leaked",
        "ERR-002",
        "The platform token is in no output line, work, bundle or state.",
        frozenset(Expect),
        token_not_leaked,
    ),
)


def judge(seen: Observed, clean: Observed) -> list[CheckResult]:
    """The results of every check that applies to the scenario, in CHECKS order.

    When the scenario's mid-run event never happened, the checks of how the connector
    handles it fail with that as evidence.
    """
    not_staged = _not_staged(seen)
    return [
        _result(
            check,
            not_staged
            if not_staged and check.name != "token_not_leaked"
            else check.judge(seen, clean),
            seen.token,
        )
        for check in applicable(seen.scenario.expect)
    ]


def applicable(expect: Expect) -> Iterable[Check]:
    return (check for check in CHECKS if expect in check.applies_to)


def _result(check: Check, verdict: Verdict, token: str) -> CheckResult:
    return CheckResult(
        check.name,
        verdict.passed,
        check.rule,
        clip(verdict.evidence, token),
        check.rule_page,
    )
