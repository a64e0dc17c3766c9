"""Render "Error handling in the public OpenCTI connectors" from the committed corpus results.

``benchmarks/lint_corpus.json`` (``nox -s lint_corpus`` writes it) holds connector-lint's
counts over the public connectors, and ``benchmarks/lint_corpus_judgements.json`` the verdict
on each sampled finding, made by reading the code. The page puts ``<!-- public-connectors -->``
where the figures go; nothing runs at build time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from benchmarks.lint_corpus import RESULTS_FILE
from connector_check.report import cell_text
from connector_lint.findings import CHECKS, RULE_OF_CODE

JUDGEMENTS_FILE = RESULTS_FILE.with_name("lint_corpus_judgements.json")
MARKER = "<!-- public-connectors -->"
TRUE_POSITIVE = "true positive"
VERDICTS = frozenset({TRUE_POSITIVE, "false positive"})
CITED = 3
PRECISION_GOAL = 0.9
SOURCE_URL = "https://github.com/{repository}/blob/{commit}/{path}#L{line}"


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, render(RESULTS_FILE, JUDGEMENTS_FILE))


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PluginError(
            f"{path.name} can't be read ({err}); rerun `nox -s lint_corpus -- PATH` and "
            "judge its sample"
        ) from err


Key = tuple[str, int, str]  # path, line, code


def judged(
    results: dict[str, Any], judgements: list[dict[str, Any]]
) -> dict[Key, dict[str, Any]]:
    """The verdicts by (path, line, code); PluginError unless each sampled finding has one."""
    verdicts = {(j["path"], j["line"], j["code"]): j for j in judgements}
    for judgement in judgements:
        if judgement["verdict"] not in VERDICTS:
            raise PluginError(f"unknown verdict {judgement['verdict']!r}: {judgement}")
    drawn = {(f["path"], f["line"], f["code"]) for f in results["sample"]}
    if drawn != set(verdicts):
        raise PluginError(
            f"{JUDGEMENTS_FILE.name} must judge every sampled finding of "
            f"{RESULTS_FILE.name} and no other ({len(drawn ^ set(verdicts))} differ)"
        )
    return verdicts


def render(results_file: Path, judgements_file: Path) -> str:
    results = _read(results_file)
    verdicts = judged(results, _read(judgements_file))
    rows = [
        "| Code | Rule | Findings | Connectors | Precision on the sample |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    sections = []
    below: list[str] = []
    for code, figures in results["codes"].items():
        rule = RULE_OF_CODE[code]
        mine = [v for key, v in verdicts.items() if key[2] == code]
        right = [v for v in mine if v["verdict"] == TRUE_POSITIVE]
        precision = f"{len(right)} of {len(mine)} ({100 * len(right) // len(mine)}%)"
        if len(right) < PRECISION_GOAL * len(mine):
            below.append(code)
        rows.append(
            f"| [{code}](checks.md#{code.lower()}) | [{rule.id}]({rule.page}#{rule.anchor}) "
            f"| {figures['findings']:,} | {figures['connectors']} | {precision} |"
        )
        sections.append(_section(code, results, right, mine))
    total = len(verdicts)
    right_total = sum(v["verdict"] == TRUE_POSITIVE for v in verdicts.values())
    head = (
        f"connector-lint over `{results['repository']}` at commit "
        f"`{results['commit'][:12]}` ({results['commit_date'][:10]}): "
        f"{results['files_checked']:,} files checked, {results['not_checked']} not "
        f"checked, {results['findings']:,} findings, in {results['seconds']['connector-lint']} s "
        f"on {results['cpus']} CPUs, {results['ratio_to_flake8']} of flake8's time on the "
        f"same files. Of the {total} sampled findings, {right_total} are right."
    )
    goal = (
        f"Below {PRECISION_GOAL:.0%} on the sample, and so to be changed or removed: "
        f"{', '.join(below)}. The sections below say where each was wrong."
        if below
        else f"Every code is right on at least {PRECISION_GOAL:.0%} of its sample."
    )
    return "\n\n".join([head, "\n".join(rows), goal, _template(results), *sections])


def _link(results: dict[str, Any], path: str, line: int) -> str:
    url = SOURCE_URL.format(
        repository=results["repository"], commit=results["commit"], path=path, line=line
    )
    return f"[`{path}:{line}`]({url})"


def _section(
    code: str,
    results: dict[str, Any],
    right: list[dict[str, Any]],
    mine: list[dict[str, Any]],
) -> str:
    rule = RULE_OF_CODE[code]
    lines = [
        f"### {code} · {CHECKS[code]}",
        "",
        f"The rule, [{rule.id} {cell_text(rule.title)}]({rule.page}#{rule.anchor}): "
        f"{cell_text(rule.statement)}",
        "",
    ]
    lines += [
        f"- {_link(results, v['path'], v['line'])}: {cell_text(v['reason'])}"
        for v in right[:CITED]
    ]
    wrong = [v for v in mine if v["verdict"] != TRUE_POSITIVE]
    if wrong:
        lines += ["", "Where it was wrong on the sample:", ""]
        lines += [
            f"- {_link(results, v['path'], v['line'])}: {cell_text(v['reason'])}"
            for v in wrong
        ]
    return "\n".join(lines)


def _template(results: dict[str, Any]) -> str:
    found = results["template"]
    if not found:
        return "OpenCTI's connector template breaks none of the rules the checker sees."
    items = [
        f"- {_link(results, f['path'], f['line'])}: {f['code']} "
        f"([{RULE_OF_CODE[f['code']].id}]({RULE_OF_CODE[f['code']].page}))"
        for f in found
    ]
    return "OpenCTI's connector template, where most connectors start:\n\n" + "\n".join(
        items
    )
