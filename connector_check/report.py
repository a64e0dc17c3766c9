"""connector-check's reports: a terminal table, JSON for tools, Markdown for a pull request."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from connector_check.checks import CheckResult
from connector_check.scenarios import Scenario


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    checks: list[CheckResult]
    seconds: float

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.scenario.name,
            "passed": self.passed,
            "description": self.scenario.description,
            "checks": [check.to_json() for check in self.checks],
        }


def to_json(
    results: Sequence[ScenarioResult], protocol: str, docs_url: str
) -> dict[str, object]:
    return {
        "passed": all(result.passed for result in results),
        "protocol": protocol,
        "docs_url": docs_url,
        "scenarios": [result.to_json() for result in results],
    }


def _mark(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def table(results: Sequence[ScenarioResult], docs_url: str) -> str:
    """Scenario × check, one row each, then the evidence of every failed check."""
    rows = [("scenario", "check", "rule", "result")]
    rows += [
        (result.scenario.name, check.name, check.rule, _mark(check.passed))
        for result in results
        for check in result.checks
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    failed = [(r, c) for r in results for c in r.checks if not c.passed]
    for result, check in failed:
        lines += [
            "",
            f"FAIL {result.scenario.name} / {check.name} ({check.rule}, "
            f"{docs_url}{check.rule_page})",
            f"  {check.evidence}",
        ]
    total = sum(len(r.checks) for r in results)
    lines += ["", f"{total - len(failed)} of {total} checks passed"]
    return "\n".join(lines)


def markdown(results: Sequence[ScenarioResult], docs_url: str, command: str) -> str:
    """A summary to paste into a pull request: the table, then what failed and why."""
    total = sum(len(r.checks) for r in results)
    failed = [(r, c) for r in results for c in r.checks if not c.passed]
    lines = [
        "### connector-check",
        "",
        f"`{_code(command)}`: {total - len(failed)} of {total} checks passed.",
        "",
        "| Scenario | Check | Rule | Result |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{r.scenario.name}` | `{c.name}` | [{c.rule}]({docs_url}{c.rule_page}) "
        f"| {'✅ pass' if c.passed else '❌ fail'} |"
        for r in results
        for c in r.checks
    ]
    if failed:
        lines += ["", "#### What failed", ""]
        lines += [
            f"- `{r.scenario.name}` / `{c.name}` ({c.rule}): {cell_text(c.evidence)}"
            for r, c in failed
        ]
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    return text.replace("`", "'")


# What Markdown would read as emphasis, a link or a table's cell boundary.
_MARKDOWN_SIGNS = re.compile(r"([\\*_\[\]|])")


def cell_text(text: str) -> str:
    """Evidence as Markdown text shown as written: ``<token>`` is no HTML tag, ``__init__``
    no emphasis, a pipe no cell boundary, a backtick no code span."""
    escaped = html.escape(" ".join(text.splitlines()), quote=False)
    return _MARKDOWN_SIGNS.sub(r"\\\1", escaped).replace("`", "'")
