"""The codes connector-lint reports, the finding it prints, and the page each one links.

What each code finds is written in its folder (``connector_lint/codes/oce003/``). Which
rule a code enforces is not written there, nor here: it is read from the rule registry
(``snippets.rules``), the one place the site, its rule index and this checker all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from connector_lint.codes import CODES
from snippets.rules import RULES, Rule

# What each code finds, in a few words, read from its folder (connector_lint/codes/):
# the codes of the rules' checks, and the codes about the run itself, which link the
# Checks page.
CHECKS: dict[str, str] = {
    code: folder.title for code, folder in CODES.items() if folder.kind == "rule"
}
RUN_CODES: dict[str, str] = {
    code: folder.title for code, folder in CODES.items() if folder.kind == "run"
}
# The run codes the checker's own modules report.
PARSE_ERROR = "OCE000"
SUPPRESSION_WITHOUT_REASON = "OCE900"
USELESS_SUPPRESSION = "OCE901"

CHECKS_PAGE = PurePosixPath("checks.md")
RULE_OF_CODE: dict[str, Rule] = {
    code: rule for rule in RULES for code in rule.enforced_by if code in CHECKS
}


def folder_mismatches() -> list[str]:
    """How the codes' folders differ from the codes there are: the registry's OCE codes
    and the run codes above. Empty when each code has its folder and each folder a code."""
    enforcing = {code for rule in RULES for code in rule.enforced_by}
    wanted = {
        "rule": {code for code in enforcing if code.startswith("OCE")},
        "run": {PARSE_ERROR, SUPPRESSION_WITHOUT_REASON, USELESS_SUPPRESSION},
    }
    folders = {"rule": set(CHECKS), "run": set(RUN_CODES)}
    problems = []
    for kind, codes in wanted.items():
        problems += [
            f"{code} has no folder connector_lint/codes/{code.lower()}/ of kind {kind!r}"
            for code in sorted(codes - folders[kind])
        ]
        problems += [
            f"connector_lint/codes/{code.lower()}/ is of kind {kind!r}, but "
            + (
                "no rule of snippets/rules.py is enforced by it"
                if kind == "rule"
                else "the checker reports no such run code"
            )
            for code in sorted(folders[kind] - codes)
        ]
    return problems


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place; ``line`` and ``col`` count from 1, as editors do."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def render(self, docs_url: str | None = None) -> str:
        where = f"{self.path}:{self.line}:{self.col}:"
        return f"{where} {self.code} {self.message} ({page_url(self.code, docs_url)})"


def page_url(code: str, docs_url: str | None = None) -> str:
    """The page that explains ``code``: its rule's page, or the Checks page.

    Without ``docs_url`` the link is the page's source in the site's repository
    (``docs/basics/no_sentinels.md#err-007``); with it, the page of the built site at
    that address (``<docs_url>/basics/no_sentinels/#err-007``).
    """
    rule = RULE_OF_CODE.get(code)
    if rule is not None:
        return _link(rule.page, rule.anchor, docs_url)
    return _link(CHECKS_PAGE, code.lower(), docs_url)


def _link(page: PurePosixPath, anchor: str, docs_url: str | None) -> str:
    if docs_url is None:
        return f"docs/{page}#{anchor}"
    return f"{docs_url.rstrip('/')}/{page.with_suffix('')}/#{anchor}"
