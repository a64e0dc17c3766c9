"""Render the "Check your own connector" page from connector-check and the template's results.

The page puts three markers where the generated parts go, each once:
``<!-- connector-check: scenarios -->`` and ``<!-- connector-check: checks -->`` become tables
written from ``connector_check.scenarios`` and ``connector_check.checks``, so the page can't
describe a scenario or a check the command doesn't run; ``<!-- connector-check: template -->``
becomes what connector-check found on OpenCTI's connector template, read from the committed
``benchmarks/template_check.json`` (``nox -s check_template`` writes it; nothing runs here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from benchmarks.template_check import RESULTS_FILE
from connector_check.checks import CHECKS, applicable
from connector_check.report import cell_text
from connector_check.scenarios import SCENARIOS
from snippets.rules import RULES

PAGE = "check_connector.md"
MARKERS = {
    "scenarios": "<!-- connector-check: scenarios -->",
    "checks": "<!-- connector-check: checks -->",
    "template": "<!-- connector-check: template -->",
}
REPOSITORY_URL = "https://github.com/{repository}/tree/{commit}/{path}"
_RULE_PAGES = {rule.id: (rule.title, rule.page.as_posix()) for rule in RULES}


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    return render(markdown, RESULTS_FILE)


def render(markdown: str, results_file: Path) -> str:
    counts = {name: markdown.count(marker) for name, marker in MARKERS.items()}
    if any(count != 1 for count in counts.values()):
        raise PluginError(
            f"{PAGE} needs each of {', '.join(MARKERS.values())} once (counts: {counts})"
        )
    parts = {
        "scenarios": scenario_table(),
        "checks": check_table(),
        "template": template_results(load(results_file)),
    }
    for name, text in parts.items():
        markdown = markdown.replace(MARKERS[name], text)
    return markdown


def rule_link(rule_id: str) -> str:
    title, page = _RULE_PAGES[rule_id]
    return f"[{rule_id}]({page} {json.dumps(title)})"


def scenario_table() -> str:
    rows = [
        "| Scenario | What happens | Protocols | Checks |",
        "| --- | --- | --- | --- |",
    ]
    for scenario in SCENARIOS:
        checks = ", ".join(f"`{c.name}`" for c in applicable(scenario.expect))
        protocols = ", ".join(scenario.protocols)
        if scenario.why_not_amqp:
            protocols += f" (not amqp: {scenario.why_not_amqp})"
        rows.append(
            f"| `{scenario.name}` | {cell_text(scenario.description)} | {protocols} "
            f"| {checks} |"
        )
    return "\n".join(rows)


def check_table() -> str:
    rows = ["| Check | Rule | Passes when |", "| --- | --- | --- |"]
    rows += [
        f"| `{check.name}` | {rule_link(check.rule)} | {cell_text(check.summary)} |"
        for check in CHECKS
    ]
    return "\n".join(rows)


def load(results_file: Path) -> dict[str, Any]:
    """The template's results; PluginError naming the file and the fix when unusable."""
    try:
        results = _with_shape(json.loads(results_file.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise PluginError(
            f"{results_file.name} can't be shown ({type(err).__name__}: {err}); rerun "
            "`nox -s check_template -- PATH_TO_CONNECTORS_CLONE`"
        ) from err
    return results


def _with_shape(results: Any) -> dict[str, Any]:
    """The results as read, once what the page reads is there; KeyError or TypeError."""
    for key in ("repository", "commit", "commit_date", "template", "pycti", "python"):
        if not isinstance(results[key], str):
            raise TypeError(f"{key!r} is not a string")
    for subject in results["subjects"]:
        for scenario in subject["report"]["scenarios"]:
            for check in scenario["checks"]:
                _ = check["name"], check["rule"], check["passed"], check["evidence"]
    checked: dict[str, Any] = results
    return checked


def template_results(results: dict[str, Any]) -> str:
    url = REPOSITORY_URL.format(
        repository=results["repository"],
        commit=results["commit"],
        path=results["template"],
    )
    lines = [
        f"Checked: [`{results['template']}`]({url}) of `{results['repository']}` at "
        f"commit `{results['commit'][:12]}` ({results['commit_date'][:10]}), with the "
        f"template's own pins (pycti {results['pycti']}, Python {results['python']}), "
        f"on {results['checked_at'][:10]}.",
    ]
    for subject in results["subjects"]:
        lines += ["", *_subject(subject)]
    return "\n".join(lines)


def _subject(subject: dict[str, Any]) -> list[str]:
    scenarios = subject["report"]["scenarios"]
    checks = [check for scenario in scenarios for check in scenario["checks"]]
    passed = sum(check["passed"] for check in checks)
    lines = [
        f"### {subject['name'].replace('_', ' ').capitalize()}",
        "",
        f"{cell_text(subject['description'])} "
        f"`connector-check -- {' '.join(subject['command'])}`: "
        f"**{passed} of {len(checks)} checks passed**.",
        "",
        "| Scenario | Passed | Failed checks |",
        "| --- | --- | --- |",
    ]
    failures = []
    for scenario in scenarios:
        failed = [check for check in scenario["checks"] if not check["passed"]]
        cell = ", ".join(
            f"`{check['name']}` ({rule_link(check['rule'])})" for check in failed
        )
        shown = sum(check["passed"] for check in scenario["checks"])
        lines.append(
            f"| `{scenario['name']}` | {shown} of {len(scenario['checks'])} "
            f"| {cell or 'none'} |"
        )
        failures += [
            f"    - `{scenario['name']}` / `{check['name']}`: "
            f"{cell_text(check['evidence'])}"
            for check in failed
        ]
    if failures:
        lines += ["", f'??? note "What the {len(failures)} failed checks saw"', ""]
        lines += failures
    return lines
