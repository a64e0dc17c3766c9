"""What a run prints: one line per finding (``text``, ``github``), or one document (``json``,
``sarif``) once every file is checked, and the ``--statistics`` table.

Files that could not be checked (code ``OCE000``) are no findings: the text formats report
them on standard error, the documents apart from the findings (``not_checked`` in JSON, the
invocation's notifications in SARIF).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata

from connector_lint.findings import (
    CHECKS,
    RULE_OF_CODE,
    RUN_CODES,
    Finding,
    page_url,
)

FORMATS = ("text", "json", "sarif", "github")
STREAMED = frozenset({"text", "github"})  # printed file by file, as the run goes
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL = "connector-lint"


@dataclass(frozen=True)
class Report:
    findings: Sequence[Finding]
    not_checked: Sequence[Finding]  # OCE000: the file and why
    files: int  # how many files were read, checked or not
    docs_url: str | None


def text_line(finding: Finding, docs_url: str | None) -> str:
    """``path:line:col: CODE message (page)``, the form ruff and flake8 print."""
    return finding.render(docs_url)


def github_line(finding: Finding, docs_url: str | None) -> str:
    """A GitHub Actions workflow command: an annotation on the file's line."""
    properties = ",".join(
        [
            f"file={_property(finding.path)}",
            f"line={finding.line}",
            f"col={finding.col}",
            f"title={_property(f'{TOOL} {finding.code}')}",
        ]
    )
    text = f"{finding.message} ({page_url(finding.code, docs_url)})"
    return f"::warning {properties}::{_data(text)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _finding_json(finding: Finding, docs_url: str | None) -> dict[str, object]:
    rule = RULE_OF_CODE.get(finding.code)
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.col,
        "code": finding.code,
        "rule": rule.id if rule else None,
        "message": finding.message,
        "url": page_url(finding.code, docs_url),
    }


def json_document(report: Report) -> str:
    document = {
        "files_checked": report.files - len(report.not_checked),
        "findings": [_finding_json(f, report.docs_url) for f in report.findings],
        "not_checked": [
            {"path": f.path, "line": f.line, "column": f.col, "reason": f.message}
            for f in report.not_checked
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _version() -> str:
    try:
        return metadata.version("opencti-connector-errors")
    except metadata.PackageNotFoundError:  # run from a checkout, not installed
        return "0"


def _absolute(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _sarif_rules(docs_url: str | None) -> list[dict[str, object]]:
    rules: list[dict[str, object]] = []
    for code, summary in {**CHECKS, **RUN_CODES}.items():
        rule = RULE_OF_CODE.get(code)
        page = page_url(code, docs_url)
        entry: dict[str, object] = {
            "id": code,
            "name": summary.replace(" ", "-"),
            "shortDescription": {"text": summary},
            "fullDescription": {
                "text": f"{rule.id} {rule.title}: {rule.statement}" if rule else summary
            },
            "help": {"text": f"{summary}: see {page}"},
            "properties": {"tags": [rule.id] if rule else []},
        }
        if _absolute(page):
            entry["helpUri"] = page
        rules.append(entry)
    return rules


def _location(finding: Finding) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line, "startColumn": finding.col},
        }
    }


def sarif_document(report: Report) -> str:
    """SARIF 2.1.0, as GitHub code scanning reads it: one run, every code as a rule."""
    rules = _sarif_rules(report.docs_url)
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": "warning",
            "message": {"text": finding.message},
            "locations": [_location(finding)],
        }
        for finding in report.findings
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": finding.message},
            "locations": [_location(finding)],
            "descriptor": {"id": finding.code},
        }
        for finding in report.not_checked
    ]
    driver: dict[str, object] = {"name": TOOL, "version": _version(), "rules": rules}
    if report.docs_url and _absolute(report.docs_url):
        driver["informationUri"] = report.docs_url
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [
                    {
                        "executionSuccessful": not report.not_checked,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def statistics(findings: Sequence[Finding]) -> str:
    """One line per code, most frequent first: count, code, what it finds."""
    counts = Counter(finding.code for finding in findings)
    width = len(str(max(counts.values(), default=0)))
    summaries = {**CHECKS, **RUN_CODES}
    return "\n".join(
        f"{count:>{width}}  {code}  {summaries[code]}"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
