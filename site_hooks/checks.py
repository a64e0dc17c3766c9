"""Render the Checks page from the codes' folders, the registry and the site's own snippets.

In ``docs/checks.md``, ``<!-- check: OCE003 -->`` becomes that code's section, made of its
folder (``connector_lint/codes/oce003/``): its heading and title, its rule, its details, its
``bad.py`` and ``good.py`` as a Don't / Do pair, and an example finding made at build time by
running the checker on that ``bad.py``, so the example can't drift from what the checker
prints. ``<!-- ruff-codes -->`` becomes the table of the ruff profile's codes, each with its
rule and a line of the site's "Don't" snippets it flags. Every code must have its folder and
its place on the page, and every folder a code, or the build fails.

This hook runs before the rules hook (``mkdocs.yml``), which turns the ``[[ERR-nnn]]`` of
the details into links.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from connector_lint.codes import CODES, CodeFolder
from connector_lint.codes.examples import own_findings
from connector_lint.expectations import expected_findings
from connector_lint.findings import CHECKS, RULE_OF_CODE, folder_mismatches
from connector_lint.profile import ruff_descriptions
from snippets.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
CHECKS_PAGE = "checks.md"
CODE_MARKER = re.compile(r"^<!-- check: (?P<code>OCE\d{3}) -->$", re.MULTILINE)
RUFF_MARKER = "<!-- ruff-codes -->"
TABS = (("Don't", "bad.py"), ("Do", "good.py"))


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    if page.file.src_uri != CHECKS_PAGE:
        return markdown
    mismatches = folder_mismatches()
    if mismatches:
        raise PluginError("; ".join(mismatches))
    placed = [match["code"] for match in CODE_MARKER.finditer(markdown)]
    if sorted(placed) != sorted(CODES) or markdown.count(RUFF_MARKER) != 1:
        raise PluginError(
            f"{CHECKS_PAGE} needs one '<!-- check: CODE -->' line for each of "
            f"{', '.join(CODES)} (it has {', '.join(placed) or 'none'}) and one "
            f"{RUFF_MARKER!r} line"
        )
    markdown = CODE_MARKER.sub(lambda m: section(CODES[m["code"]]), markdown)
    return markdown.replace(RUFF_MARKER, _ruff_table())


def section(folder: CodeFolder) -> str:
    """The code's part of the Checks page, from its folder."""
    code = folder.code
    findings = own_findings(folder, "bad.py")
    if not findings:
        raise PluginError(
            f"{folder.path}/bad.py reports no {code}: its example must show the finding"
        )
    rule = RULE_OF_CODE.get(code)
    if rule is not None:
        about = f"**Rule:** [{rule.id} {rule.title}]({rule.page}#{rule.anchor})"
        suppress = (
            f"**Suppress it** on the line it points at, with the reason: "
            f"`# connector-lint: ignore[{code}] why the rule does not apply here`."
        )
    else:
        about = "Not a rule: it is about the run itself."
        suppress = "It can't be suppressed: fix what it points at."
    details = folder.text("details.md").strip()
    printed = findings[0].render()
    return (
        f"### {code} · {folder.title} {{ #{code.lower()} }}\n\n{about}\n\n{details}\n\n"
        + "".join(_tab(folder, label, example) for label, example in TABS)
        + f"Example finding, from the *Don't* above:\n\n```text\n{printed}\n```\n\n"
        + suppress
    )


def _tab(folder: CodeFolder, label: str, example: str) -> str:
    path = f"{folder.path}/{example}"
    block = f'```python title="{path}"\n--8<-- "{path}"\n```'
    return f'=== "{label}"\n\n{textwrap.indent(block, "    ")}\n\n'


def _dont_snippets() -> list[Path]:
    return sorted((ROOT / "snippets").glob("*/*/bad.py"))


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
