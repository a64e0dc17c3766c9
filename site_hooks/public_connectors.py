"""Render "Error handling in the public OpenCTI connectors" from the committed corpus results.

``benchmarks/lint_corpus.json`` (``nox -s lint_corpus`` writes it) holds connector-lint's
counts over the public connectors and its recall on the breaches listed by reading a few
drawn connectors (``benchmarks/lint_corpus_recall.json``, whose notes the page cites), and
``benchmarks/lint_corpus_judgements.json`` the verdict on each sampled finding, made by
reading the code. What fixing each code's breaches gains is in the code's folder (``gains.md``).
The page puts ``<!-- public-connectors -->`` where the figures go; nothing runs at build time.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from benchmarks.lint_corpus import RESULTS_FILE
from benchmarks.lint_recall import LINES_READ, PROBE_FILE, Probe, ProbeError, load_probe
from connector_check.report import cell_text
from connector_lint.codes import CODES
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
    return markdown.replace(MARKER, render(RESULTS_FILE, JUDGEMENTS_FILE, PROBE_FILE))


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


def recalled(results: dict[str, Any], probe: Probe) -> dict[str, dict[str, int]]:
    """The recall per code; PluginError unless the results were computed from ``probe``."""
    recall = results.get("recall")
    if not isinstance(recall, dict):
        recall = {}
    listed = Counter(breach.code for breach in probe.breaches)
    breaches = {(b.path, b.line, b.code) for b in probe.breaches}
    missed = {(m["path"], m["line"], m["code"]) for m in recall.get("missed", [])}
    if (
        recall.get("connectors") != probe.connectors
        or {code: f["listed"] for code, f in recall.get("codes", {}).items()} != listed
        or not missed <= breaches
    ):
        raise PluginError(
            f"the recall in {RESULTS_FILE.name} was not computed from {PROBE_FILE.name} as "
            "it is now; rerun `nox -s lint_corpus -- PATH`"
        )
    codes: dict[str, dict[str, int]] = recall["codes"]
    return codes


def gain(code: str) -> str:
    """What fixing ``code``'s breaches gains; PluginError for a code the checker lacks."""
    folder = CODES.get(code)
    if folder is None or folder.kind != "rule":
        raise PluginError(
            f"{code} is on the public connectors page, but connector-lint has no rule "
            "code of that name: rerun nox -s lint_corpus"
        )
    return folder.gains


def _probe(path: Path) -> Probe:
    try:
        return load_probe(path)
    except ProbeError as err:
        raise PluginError(
            f"{err}; correct it, then rerun `nox -s lint_corpus -- PATH`"
        ) from err


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({100 * part // whole}%)"


def render(
    results_file: Path, judgements_file: Path, probe_file: Path = PROBE_FILE
) -> str:
    results = _read(results_file)
    verdicts = judged(results, _read(judgements_file))
    probe = _probe(probe_file)
    recall = recalled(results, probe)
    rows = [
        "| Code | Rule | Findings | Connectors | Precision on the sample "
        "| Recall on the probe |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    sections = []
    below: list[str] = []
    nothing_found = {"findings": 0, "connectors": 0}
    # A code the probe lists breaches of but that found nothing is shown too: its recall
    # is the news.
    codes = [*results["codes"], *sorted(set(recall) - set(results["codes"]))]
    for code in codes:
        figures = results["codes"].get(code, nothing_found)
        rule = RULE_OF_CODE[code]
        mine = [v for key, v in verdicts.items() if key[2] == code]
        right = [v for v in mine if v["verdict"] == TRUE_POSITIVE]
        precision = _share(len(right), len(mine)) if mine else "nothing to judge"
        if len(right) < PRECISION_GOAL * len(mine):
            below.append(code)
        seen = recall.get(code)
        found = _share(seen["reported"], seen["listed"]) if seen else "none listed"
        rows.append(
            f"| [{code}](checks.md#{code.lower()}) | [{rule.id}]({rule.page}#{rule.anchor}) "
            f"| {figures['findings']:,} | {figures['connectors']} | {precision} | {found} |"
        )
        sections.append(_section(code, results, right, mine, probe))
    total = len(verdicts)
    right_total = sum(v["verdict"] == TRUE_POSITIVE for v in verdicts.values())
    head = (
        f"connector-lint over `{results['repository']}` at commit "
        f"`{results['commit'][:12]}` ({results['commit_date'][:10]}): "
        f"{results['files_checked']:,} files checked, {results['not_checked']} not "
        f"checked, {results['findings']:,} findings, in {results['seconds']['connector-lint']} s "
        f"on {results['cpus']} CPUs, {results['ratio_to_flake8']} of flake8's time on the "
        f"same files. Of the {total} sampled findings, {right_total} are right; of the "
        f"{len(probe.breaches)} breaches listed by reading {len(probe.connectors)} "
        f"connectors whole, it reports {sum(f['reported'] for f in recall.values())}."
    )
    goal = (
        f"Below {PRECISION_GOAL:.0%} on the sample, and so to be changed or removed: "
        f"{', '.join(below)}. The sections below say where each was wrong."
        if below
        else f"Every code is right on at least {PRECISION_GOAL:.0%} of its sample."
    )
    return "\n\n".join(
        [
            head,
            "\n".join(rows),
            goal,
            _read_for_recall(probe),
            _template(results),
            *sections,
        ]
    )


def _read_for_recall(probe: Probe) -> str:
    connectors = "\n".join(
        f"- `{connector}`: {lines} lines"
        for connector, lines in probe.connectors.items()
    )
    return (
        f"The recall probe read {len(probe.connectors)} connectors, drawn at random with "
        f"the seed {probe.seed} among those with {LINES_READ.start} to "
        f"{LINES_READ.stop - 1} lines of Python besides their tests, so that no one "
        "picked them (`python -m benchmarks.lint_recall REPOSITORY --rev "
        f"{probe.commit[:12]} --seed {probe.seed}` repeats the draw):\n\n{connectors}\n\n"
        f"{cell_text(probe.read)} A few connectors say little about a rare miss."
    )


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
    probe: Probe,
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
    missed = {(m["path"], m["line"]) for m in results["recall"]["missed"]}
    listed = [b for b in probe.breaches if b.code == code]
    if listed:
        lines += ["", "Listed by reading, for the recall:", ""]
        lines += [
            f"- {_link(results, b.path, b.line)}: {cell_text(b.note)} "
            f"({'**missed**' if (b.path, b.line) in missed else 'reported'})"
            for b in listed
        ]
    lines += ["", f"**What fixing them gains.** {gain(code)}"]
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
