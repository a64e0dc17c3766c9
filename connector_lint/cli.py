"""``connector-lint PATH...``: check files and folders, report each finding.

Exit codes: 0 when nothing was found (or ``--exit-zero``), 1 when something was, 2 when the
run itself failed: bad options, a path that doesn't exist, an unusable
``[tool.connector-lint]`` table, or a file that could not be read or parsed (reported apart
from the findings, on standard error).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from connector_lint.batch import Job, check_all, default_workers
from connector_lint.config import ConfigError, Configs
from connector_lint.files import excluded, python_files
from connector_lint.findings import CHECKS, PARSE_ERROR, RUN_CODES, Finding
from connector_lint.newer_python import parse_version
from connector_lint.output import (
    FORMATS,
    STREAMED,
    Report,
    github_line,
    json_document,
    sarif_document,
    statistics,
    text_line,
)
from connector_lint.profile import profile_text
from connector_lint.runner import DEFAULT_MAX_TRY_STATEMENTS, Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROG = "connector-lint"
ALL_CODES = (*CHECKS, *RUN_CODES)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # exits with EXIT_USAGE on a bad option
    if args.ruff_profile:
        print(profile_text(), end="")
        return EXIT_CLEAN
    if not args.paths:
        parser.error("give at least one file or folder to check")
    missing = [path for path in args.paths if not path.exists()]
    if missing:
        parser.error(f"no such file or folder: {missing[0]}")
    try:
        return _run(args)
    except ConfigError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    configs = Configs()
    for path in args.paths:
        config = excluded(path, configs)
        if config is not None:  # named, yet not checked: say why
            _note(f"{path} is excluded by {config.source}")
    files = list(python_files(args.paths, configs, _skipped))
    jobs = [_job(file, args, configs) for file in files]
    docs_url = args.docs_url or configs.of_folder(Path.cwd()).docs_url
    findings: list[Finding] = []
    not_checked: list[Finding] = []
    for _, found in check_all(jobs, args.jobs):
        kept = [f for f in found if f.code == PARSE_ERROR or _selected(f.code, args)]
        for finding in kept:
            if finding.code == PARSE_ERROR:
                not_checked.append(finding)
                _note(f"error: {finding.render(docs_url)}")
            else:
                findings.append(finding)
                if args.output_format in STREAMED and not args.statistics:
                    _print_finding(finding, args.output_format, docs_url)
    report = Report(findings, not_checked, len(files), docs_url)
    if args.statistics:
        if findings:
            print(statistics(findings))
    elif args.output_format == "json":
        print(json_document(report))
    elif args.output_format == "sarif":
        print(sarif_document(report))
    _note(_summary(report))
    if not_checked:
        return EXIT_USAGE
    return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN


def _job(file: Path, args: argparse.Namespace, configs: Configs) -> Job:
    limit = (
        args.max_try_statements
        or configs.of(file).max_try_statements_of(file)
        or DEFAULT_MAX_TRY_STATEMENTS
    )
    return Job(file, Settings(limit), args.target_version)


def _print_finding(finding: Finding, output_format: str, docs_url: str | None) -> None:
    line = (
        github_line(finding, docs_url)
        if output_format == "github"
        else text_line(finding, docs_url)
    )
    print(line, flush=True)


def _selected(code: str, args: argparse.Namespace) -> bool:
    chosen = any(code.startswith(prefix) for prefix in args.select or [""])
    return chosen and not any(code.startswith(prefix) for prefix in args.ignore)


def _note(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _skipped(path: Path, why: str) -> None:
    _note(f"{path} skipped: {why}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Check OpenCTI connector code against the rules of 'Handling errors "
        "in OpenCTI connectors' that ruff can't see. Each finding links the rule's page.",
        epilog="Suppress one finding with a comment on its line: "
        "'# connector-lint: ignore[OCE003] why this is right here'. Settings come from "
        "the [tool.connector-lint] table of each file's nearest pyproject.toml.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        default="text",
        help="text (path:line:col: CODE message), json, sarif (2.1.0, for code "
        "scanning) or github (workflow annotations); default text",
    )
    parser.add_argument(
        "--select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="report only these codes or code prefixes, comma-separated (OCE003,OCE00)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="do not report these codes or code prefixes",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when something is found (2 still means the run failed)",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings of each code, instead of the findings",
    )
    parser.add_argument(
        "--target-version",
        type=_version,
        metavar="pyXY",
        help="the Python the code is written for (py311 ... py314): a file that "
        "does not parse on this Python is checked by that one, found on PATH",
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=default_workers(),
        metavar="N",
        help="worker processes (default: one per CPU this process may use)",
    )
    parser.add_argument(
        "--max-try-statements",
        type=_positive_int,
        metavar="N",
        help=f"OCE006: most statements that can raise a try body may hold, for every "
        f"file (default {DEFAULT_MAX_TRY_STATEMENTS}, or max-try-statements and "
        "per-file-max-try-statements in [tool.connector-lint])",
    )
    parser.add_argument(
        "--docs-url",
        metavar="URL",
        help="where the rule pages are published; findings link pages there instead "
        "of the pages' sources in the site's repository (docs/...)",
    )
    parser.add_argument(
        "--ruff-profile",
        action="store_true",
        help="print the ruff configuration for the rules ruff can check, and exit",
    )
    return parser


def _codes(text: str) -> list[str]:
    prefixes = [part.strip().upper() for part in text.split(",") if part.strip()]
    unknown = [p for p in prefixes if not any(c.startswith(p) for c in ALL_CODES)]
    if not prefixes or unknown:
        raise argparse.ArgumentTypeError(
            f"no code starts with {(unknown or [text])[0]!r}; the codes are "
            f"{', '.join(ALL_CODES)}"
        )
    return prefixes


def _version(text: str) -> tuple[int, int]:
    try:
        return parse_version(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from err
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _summary(report: Report) -> str:
    checked = report.files - len(report.not_checked)
    files = f"{checked} file{'s' * (checked != 1)} checked"
    if report.not_checked:
        count = len(report.not_checked)
        files += f", {count} not checked"
    if report.files == 0:
        return "no Python file to check under the given paths"
    found = len(report.findings)
    if found == 0:
        return f"{files}, nothing found"
    return f"{found} finding{'s' * (found != 1)} in {files}"
