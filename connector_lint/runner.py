"""Check one source or one file: parse it, run every check, apply the suppressions.

A file that can't be read or parsed is not an exception here: it is one OCE000 finding, so
a run over many files reports it and goes on with the others.
"""

from __future__ import annotations

import ast
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from connector_lint.checks import run_checks
from connector_lint.findings import PARSE_ERROR, Finding
from connector_lint.suppressions import apply_suppressions, read_suppressions
from connector_lint.syntax import Module

DEFAULT_MAX_TRY_STATEMENTS = 3


@dataclass(frozen=True)
class Settings:
    max_try_statements: int = DEFAULT_MAX_TRY_STATEMENTS


def check_source(
    source: str, path: str, settings: Settings | None = None
) -> list[Finding]:
    """The findings for ``source``, reported as coming from ``path``, sorted by place."""
    settings = settings or Settings()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as err:
        return [_unparsable(path, f"syntax error: {err.msg}", err.lineno, err.offset)]
    except ValueError as err:  # null bytes, on some Python versions
        return [_unparsable(path, f"it does not parse: {err}")]
    except (
        RecursionError,
        MemoryError,
    ):  # how CPython's parser gives up on deep nesting
        return [_unparsable(path, "it does not parse: nested too deeply")]
    try:
        findings = once_each(
            run_checks(Module(path, tree), settings.max_try_statements)
        )
    except RecursionError:  # an expression nested deeper than the checks can follow
        return [_unparsable(path, "nested too deeply to analyse")]
    return sorted(apply_suppressions(path, findings, read_suppressions(source)))


def once_each(findings: Iterable[Finding]) -> list[Finding]:
    """The findings without repeats: one per path, line, column and code, the first kept.

    A node in nested handlers is seen from each of them; printed twice, one problem would
    read as two."""
    kept: dict[tuple[str, int, int, str], Finding] = {}
    for finding in findings:
        kept.setdefault(
            (finding.path, finding.line, finding.col, finding.code), finding
        )
    return list(kept.values())


def check_file(path: Path, settings: Settings | None = None) -> list[Finding]:
    """The findings for the file at ``path``; its name is shown as given."""
    shown = path.as_posix()
    try:
        with tokenize.open(path) as file:  # honours a PEP 263 coding line
            source = file.read()
    except OSError as err:
        return [_unparsable(shown, f"cannot read it: {err.strerror or err}")]
    except (SyntaxError, UnicodeDecodeError) as err:  # a bad coding line or bytes
        return [_unparsable(shown, f"cannot decode it: {err}")]
    return check_source(source, shown, settings)


def _unparsable(
    path: str, reason: str, line: int | None = 1, col: int | None = 1
) -> Finding:
    return Finding(
        path, line or 1, col or 1, PARSE_ERROR, f"file not checked: {reason}"
    )
