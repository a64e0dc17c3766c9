"""Inline suppression: a comment ``connector-lint: ignore[CODE, ...] reason`` on the line a
finding points at. The reason is required, so a suppression says why the rule does not apply;
one that lacks it, names an unknown code or suppresses nothing is itself reported.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from connector_lint.findings import (
    CHECKS,
    SUPPRESSION_WITHOUT_REASON,
    USELESS_SUPPRESSION,
    Finding,
)

SUPPRESSION = re.compile(
    r"#\s*connector-lint:\s*ignore\[(?P<codes>[^\]]*)\](?P<reason>.*)$"
)
# Separators people put between the codes and the reason are not a reason.
SEPARATORS = " \t-:–—"


@dataclass(frozen=True)
class Suppression:
    line: int
    col: int
    codes: tuple[str, ...]
    reason: str


def read_suppressions(source: str) -> list[Suppression]:
    """The suppression comments of a source that parses (so it also tokenizes)."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        match = (
            SUPPRESSION.search(token.string) if token.type == tokenize.COMMENT else None
        )
        if match is not None:
            codes = tuple(c.strip() for c in match["codes"].split(",") if c.strip())
            line, col = token.start
            found.append(
                Suppression(line, col + 1, codes, match["reason"].strip(SEPARATORS))
            )
    return found


def apply_suppressions(
    path: str, findings: list[Finding], suppressions: list[Suppression]
) -> list[Finding]:
    """The findings no suppression covers, plus what is wrong with the suppressions."""
    kept = list(findings)
    for suppression in suppressions:
        if not suppression.reason:
            kept.append(
                Finding(
                    path,
                    suppression.line,
                    suppression.col,
                    SUPPRESSION_WITHOUT_REASON,
                    "suppression without a reason: after the ] say why the rule does "
                    "not apply here",
                )
            )
        for code in suppression.codes or ("",):
            covered = [f for f in kept if f.line == suppression.line and f.code == code]
            if covered:
                kept = [f for f in kept if f not in covered]
            else:
                kept.append(_useless(path, suppression, code))
    return kept


def _useless(path: str, suppression: Suppression, code: str) -> Finding:
    if code not in CHECKS:
        problem = (
            f"ignore[{code}] names no connector-lint code (ruff's codes take # noqa)"
            if code
            else "ignore[] names no code"
        )
    else:
        problem = f"ignore[{code}] suppresses nothing on this line: remove it"
    return Finding(
        path, suppression.line, suppression.col, USELESS_SUPPRESSION, problem
    )
