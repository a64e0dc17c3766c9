"""``connector-lint PATH...``: check files and folders, print one line per finding.

Exit codes: 0 when nothing was found, 1 when something was (a file that can't be parsed
included), 2 when the command itself is wrong: bad options, a path that doesn't exist, an
unusable ``[tool.connector-lint]`` table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from connector_lint.config import ConfigError, load_config
from connector_lint.files import Exclusions, python_files
from connector_lint.profile import profile_text
from connector_lint.runner import DEFAULT_MAX_TRY_STATEMENTS, Settings, check_file

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
        config = load_config(Path.cwd())
    except ConfigError as err:
        parser.error(str(err))
    settings = Settings(
        max_try_statements=args.max_try_statements
        or config.max_try_statements
        or DEFAULT_MAX_TRY_STATEMENTS
    )
    docs_url = args.docs_url or config.docs_url
    excluded = Exclusions(config.root, config.exclude)
    for path in args.paths:
        if path in excluded:  # named, yet not checked: say why
            print(
                f"connector-lint: {path} is excluded by {config.source}",
                file=sys.stderr,
            )
    files = list(python_files(args.paths, excluded))
    findings = [finding for file in files for finding in check_file(file, settings)]
    for finding in findings:
        print(finding.render(docs_url))
    print(_summary(len(findings), len(files)), file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connector-lint",
        description="Check OpenCTI connector code against the rules of 'Handling errors "
        "in OpenCTI connectors' that ruff can't see. Each finding links the rule's page.",
        epilog="Suppress one finding with a comment on its line: "
        "'# connector-lint: ignore[OCE003] why this is right here'.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument(
        "--max-try-statements",
        type=_positive_int,
        metavar="N",
        help=f"OCE006: most statements a try body may hold (default "
        f"{DEFAULT_MAX_TRY_STATEMENTS}, or max-try-statements in [tool.connector-lint])",
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from err
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _summary(found: int, checked: int) -> str:
    files = f"{checked} file{'s' * (checked != 1)}"
    if checked == 0:
        return "connector-lint: no Python file to check under the given paths"
    if found == 0:
        return f"connector-lint: {files} checked, nothing found"
    return f"connector-lint: {found} finding{'s' * (found != 1)} in {files} checked"
