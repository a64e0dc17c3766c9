"""Render the "Failure modes" tables from the fault matrix the reliability tests run.

A page puts ``<!-- failure-modes -->`` where the tables go: one table per kind of fault, one row
per scenario of ``connector_sandbox.fault_scenarios``, each cell written from the scenario's
expected outcome. The table can't say something the tests don't check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from connector_sandbox.fault_matrix import (
    COUNT,
    Kind,
    Outcome,
    Record,
    Scenario,
    Window,
)
from connector_sandbox.fault_scenarios import SCENARIOS

FAILURE_MODES_MARKER = "<!-- failure-modes -->"
HEADER = (
    "| Fault | What the connector does | Log level | What OpenCTI shows | Exit code |\n"
    "| --- | --- | --- | --- | --- |"
)
LEVELS = ("ERROR", "WARNING", "INFO", "DEBUG")
STATE = {
    Window.MOVES: "State saved; the window moves on.",
    Window.KEPT: "State saved; the window stays where it was.",
    Window.NOT_SAVED: "State not saved.",
    Window.UNTOUCHED: "",
}


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    if FAILURE_MODES_MARKER not in markdown:
        return markdown
    return markdown.replace(FAILURE_MODES_MARKER, failure_mode_tables(SCENARIOS))


def failure_mode_tables(scenarios: Iterable[Scenario]) -> str:
    listed = list(scenarios)
    sections = []
    for kind in Kind:
        rows = [_row(scenario) for scenario in listed if scenario.kind is kind]
        if rows:
            sections.append(f"## {kind.value}\n\n{HEADER}\n" + "\n".join(rows))
    return "\n\n".join(sections)


def _row(scenario: Scenario) -> str:
    outcome = scenario.outcome
    cells = [
        f"{scenario.fault} *({', '.join(scenario.protocols)})*<br>`{scenario.name}`",
        scenario.does,
        _levels(outcome),
        _shown_in_opencti(outcome),
        str(outcome.exit_code),
    ]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _code(text: str) -> str:
    # One line per cell entry; a backtick would end the code span early.
    return "`" + " ".join(text.split()).replace("`", "'") + "`"


def _levels(outcome: Outcome) -> str:
    """The records an operator sees, loudest first, then the line a failed start prints."""
    entries = [
        f"**{level}** {_code(record.message)}"
        + (f" ×{record.count}" if record.count > 1 else "")
        for level in LEVELS
        for record in _distinct(outcome.records)
        if record.level == level
    ]
    if outcome.startup_error is not None:
        entries.append(f"stderr: {_code(outcome.startup_error)}")
    if outcome.traceback:
        entries.append("stderr: the traceback")
    return "<br>".join(entries) or "INFO only"


def _distinct(records: tuple[Record, ...]) -> list[Record]:
    """Records of one level and message, their counts added up."""
    merged: dict[tuple[str, str], Record] = {}
    for record in records:
        key = (record.level, record.message)
        count = merged[key].count + record.count if key in merged else record.count
        merged[key] = Record(record.level, record.message, count=count)
    return list(merged.values())


def _shown_in_opencti(outcome: Outcome) -> str:
    work = outcome.work
    if work is None:
        parts = ["No work."]
    else:
        if work.status == "complete":
            status = "in error" if work.in_error else "completed"
        elif work.in_error:
            status = "closed in error, left in progress"
        else:
            status = "left in progress"
        parts = [f"Work **{status}**."]
        parts += [f"Message: {_code(text)}" for text in work.messages]
        parts += [f"Error: {_code(text)}" for text in work.errors]
        parts.append(f"{outcome.ingested} of {COUNT} IOCs imported.")
    parts.append(STATE[outcome.window])
    return "<br>".join(part for part in parts if part)
