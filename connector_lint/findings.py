"""The codes connector-lint reports, the finding it prints, and the page each one links.

Which rule a code enforces is not written here: it is read from the rule registry
(``snippets.rules``), the one place the site, its rule index and this checker all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from snippets.rules import RULES, Rule

# What each check finds, in a few words; the Checks page explains each one at length.
CHECKS: dict[str, str] = {
    "OCE001": "pycti logger call that fails at run time",
    "OCE002": "work opened with no to_processed in a finally",
    "OCE003": "except handler returns a sentinel value",
    "OCE004": "handler swallows a shutdown request",
    "OCE005": "ERROR logged outside a top-level except Exception handler",
    "OCE006": "try body with more statements that can raise than the limit",
    "OCE007": "except clause that can never run",
    "OCE008": "a low-level handler ends the process",
    "OCE009": "traceback logged for a handled error",
    "OCE010": "a stop reported as success",
}

# Codes about the run itself rather than a rule: they link to the Checks page.
PARSE_ERROR = "OCE000"
SUPPRESSION_WITHOUT_REASON = "OCE900"
USELESS_SUPPRESSION = "OCE901"
RUN_CODES: dict[str, str] = {
    PARSE_ERROR: "file that can't be checked",
    SUPPRESSION_WITHOUT_REASON: "suppression without a reason",
    USELESS_SUPPRESSION: "suppression that suppresses nothing",
}

CHECKS_PAGE = PurePosixPath("checks.md")
RULE_OF_CODE: dict[str, Rule] = {
    code: rule for rule in RULES for code in rule.enforced_by if code in CHECKS
}


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
