"""Render the Checks page from the registry, the checker and the site's own snippets.

In ``docs/checks.md``, ``<!-- check: OCE003 -->`` becomes that code's heading, its rule and
an example finding made at build time, by running the checker on the "Don't" snippets, so
the example can't drift from what the checker prints. ``<!-- ruff-codes -->`` becomes the
table of the ruff profile's codes, each with its rule and a snippet line it flags. Every code
must have its place on the page, or the build fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from connector_lint import Settings, check_source
from connector_lint.expectations import expected_findings
from connector_lint.findings import (
    CHECKS,
    PARSE_ERROR,
    RULE_OF_CODE,
    RUN_CODES,
    SUPPRESSION_WITHOUT_REASON,
    USELESS_SUPPRESSION,
    Finding,
)
from connector_lint.profile import ruff_descriptions
from snippets.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
CHECKS_PAGE = "checks.md"
CODE_MARKER = re.compile(r"^<!-- check: (?P<code>OCE\d{3}) -->$", re.MULTILINE)
RUFF_MARKER = "<!-- ruff-codes -->"
# A limit below the default, shown on a code whose Don't snippets all sit within the default.
LOWER_LIMIT = 2
# The codes about the run itself, shown on what causes them: a file that doesn't parse,
# and suppressions written wrong.
RUN_EXAMPLES = {
    PARSE_ERROR: "def fetch(ioc_id:\n",
    SUPPRESSION_WITHOUT_REASON: (
        "def parse_score(raw):\n    try:\n        return int(raw['score'])\n"
        "    except ValueError:\n        return -1  # connector-lint: ignore[OCE003]\n"
    ),
    USELESS_SUPPRESSION: "RETRIES = 3  # connector-lint: ignore[OCE005] kept from v1\n",
}


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    if page.file.src_uri != CHECKS_PAGE:
        return markdown
    placed = [match["code"] for match in CODE_MARKER.finditer(markdown)]
    wanted = [*CHECKS, *RUN_CODES]
    if sorted(placed) != sorted(wanted) or markdown.count(RUFF_MARKER) != 1:
        raise PluginError(
            f"{CHECKS_PAGE} needs one '<!-- check: CODE -->' line for each of "
            f"{', '.join(wanted)} (it has {', '.join(placed) or 'none'}) and one "
            f"{RUFF_MARKER!r} line"
        )
    examples = _examples()
    markdown = CODE_MARKER.sub(lambda m: _section(m["code"], examples), markdown)
    return markdown.replace(RUFF_MARKER, _ruff_table())


def _dont_snippets() -> list[Path]:
    return sorted((ROOT / "snippets").glob("*/*/bad.py"))


def _examples() -> dict[str, tuple[Finding, str]]:
    """The first finding of each code, with the option that was needed, if any."""
    runs = [
        (Settings(), ""),
        (Settings(LOWER_LIMIT), f"--max-try-statements {LOWER_LIMIT}"),
    ]
    examples: dict[str, tuple[Finding, str]] = {}
    for settings, option in runs:
        for path in _dont_snippets():
            source = path.read_text(encoding="utf-8")
            shown = path.relative_to(ROOT).as_posix()
            for finding in check_source(source, shown, settings):
                examples.setdefault(finding.code, (finding, option))
    for code, source in RUN_EXAMPLES.items():
        for finding in check_source(source, "connector/client.py"):
            if finding.code == code:
                examples.setdefault(code, (finding, ""))
    missing = [code for code in [*CHECKS, *RUN_CODES] if code not in examples]
    if missing:
        raise PluginError(
            f"no example for {', '.join(missing)}: add a Don't snippet that triggers it"
        )
    return examples


def _section(code: str, examples: dict[str, tuple[Finding, str]]) -> str:
    finding, option = examples[code]
    rule = RULE_OF_CODE.get(code)
    if rule is not None:
        title = CHECKS[code]
        about = f"**Rule:** [{rule.id} {rule.title}]({rule.page}#{rule.anchor})"
        suppress = (
            f"**Suppress it** on the line it points at, with the reason: "
            f"`# connector-lint: ignore[{code}] why the rule does not apply here`."
        )
    else:
        title = RUN_CODES[code]
        about = "Not a rule: it is about the run itself."
        suppress = "It can't be suppressed: fix what it points at."
    example = f"Example finding, with `{option}`:" if option else "Example finding:"
    return (
        f"### {code} · {title} {{ #{code.lower()} }}\n\n{about}\n\n"
        f"{example}\n\n```text\n{finding.render()}\n```\n\n{suppress}"
    )


def _ruff_table() -> str:
    descriptions = ruff_descriptions()
    shown = {
        code: f"`{path.relative_to(ROOT).as_posix()}:{line}`"
        for path in reversed(_dont_snippets())
        for line, code in reversed(expected_findings(path.read_text(encoding="utf-8")))
    }
    rows = [
        "| Code | What ruff flags | Rule | A line it flags |",
        "| --- | --- | --- | --- |",
    ]
    for rule in RULES:
        for code in rule.enforced_by:
            if code in CHECKS:
                continue
            if code not in descriptions:
                raise PluginError(
                    f"{code} has no comment in connector_lint/ruff-profile.toml"
                )
            rows.append(
                f"| `{code}`{{ #{code.lower()} }} | {descriptions[code]} | "
                f"[{rule.id} {rule.title}]({rule.page}#{rule.anchor}) | "
                f"{shown.get(code, 'none on this site')} |"
            )
    return "\n".join(rows)
