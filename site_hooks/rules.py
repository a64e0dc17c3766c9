"""Render rule headers, rule links and the rule index from ``snippets.rules``.

A rule page declares only ``rule: ERR-nnn`` in its front matter; its title, statement,
"Enforced by" box and related-rules list come from the registry, so they can't drift from the
index, the checker or the tests.
In prose, ``[[ERR-nnn]]`` becomes a link to that rule showing its ID and title.
"""

from __future__ import annotations

import posixpath
import re
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from connector_lint.expectations import expected_findings
from connector_lint.findings import CHECKS
from connector_lint.profile import ruff_descriptions
from snippets.rules import RULES, RULES_BY_ID, SECTIONS, Rule

ROOT = Path(__file__).resolve().parent.parent
RULE_INDEX_MARKER = "<!-- rule-index -->"
# The reviewer checklist: as a task list on the page, and as Markdown to paste into a PR.
RULE_CHECKLIST_MARKER = "<!-- rule-checklist -->"
RULE_CHECKLIST_MARKDOWN_MARKER = "<!-- rule-checklist-markdown -->"
RULE_LINK = re.compile(r"\[\[(ERR-\d{3})\]\]")
# A title such as BaseException.__cause__ is text, not Markdown emphasis.
LITERAL_UNDERSCORES = str.maketrans({"_": r"\_"})


def on_files(files: Files, config: Any) -> Files:
    missing = [
        str(rule.page)
        for rule in RULES
        if files.get_file_from_path(str(rule.page)) is None
    ]
    if missing:
        raise PluginError(f"rules without a page in docs/: {', '.join(missing)}")
    return files


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    rule_id = page.meta.get("rule")
    if rule_id is not None:
        rule = _rule_for_page(str(rule_id), page)
        page.meta["title"] = f"{rule.id} {rule.title}"
        # Material's search ranks a page's tags far above its text: the words a reader
        # types for a rule (SIGTERM, work_id) find its page first. No tag is shown.
        page.meta["tags"] = list(rule.keywords)
        markdown = (
            _rule_header(rule)
            + _enforcement(rule, page)
            + markdown
            + _related_rules(rule, page)
            + _references(rule)
        )
    markdown = markdown.replace(RULE_INDEX_MARKER, _rule_index(page))
    markdown = markdown.replace(RULE_CHECKLIST_MARKER, _rule_checklist(page))
    markdown = markdown.replace(
        RULE_CHECKLIST_MARKDOWN_MARKER, checklist_code_block(checklist_markdown())
    )
    return RULE_LINK.sub(
        lambda match: _link(_lookup(match.group(1), page), page), markdown
    )


def _lookup(rule_id: str, page: Page) -> Rule:
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        raise PluginError(
            f"{page.file.src_uri}: unknown rule {rule_id!r}; see snippets/rules.py"
        )
    return rule


def _rule_for_page(rule_id: str, page: Page) -> Rule:
    rule = _lookup(rule_id, page)
    if page.file.src_uri != str(rule.page):
        raise PluginError(
            f"{page.file.src_uri} declares {rule_id}, whose page is {rule.page} in snippets/rules.py"
        )
    return rule


def _href(rule: Rule, page: Page) -> str:
    here = posixpath.dirname(page.file.src_uri)
    return f"{posixpath.relpath(str(rule.page), here or '.')}#{rule.anchor}"


def _link(rule: Rule, page: Page) -> str:
    return f"[{rule.id} {rule.title}]({_href(rule, page)})"


def _rule_header(rule: Rule) -> str:
    return (
        f"# {rule.id} · {rule.title} {{ #{rule.anchor} }}\n\n"
        f'!!! rule "Rule {rule.id}"\n\n    {rule.statement}\n\n'
        f"{checked_against()}\n\n"
    )


def checked_against() -> str:
    """Which pycti the page's claims and snippets were checked against: the one installed
    when the site was built, which is the one the snippet tests run."""
    return (
        f"Checked against pycti {version('pycti')} and Python "
        f"{'.'.join(map(str, sys.version_info[:3]))}.\n{{: .checked-against }}"
    )


def _references(rule: Rule) -> str:
    if not rule.references:
        return ""
    items = "\n".join(
        f"- [{ref.title.translate(LITERAL_UNDERSCORES)}]({ref.url})"
        for ref in rule.references
    )
    return f"\n\n## References\n\n{items}\n"


def _enforcement(rule: Rule, page: Page) -> str:
    """The "Enforced by" box: each code with its tool and what it flags, linked to the
    Checks page, then what is left to a reviewer; or why only a reviewer can check it."""
    bad = ROOT / rule.snippet_dir / "bad.py"
    marked = expected_findings(bad.read_text(encoding="utf-8"))
    # The Don't snippet of a rule no tool checks can still break rules that one does.
    tab_note = (
        "    In the *Don't* tab, a `# [CODE]` comment marks each line a code flags.\n\n"
        if marked
        else ""
    )
    if not rule.enforced_by:
        return (
            f'!!! enforced "Enforced by review only"\n\n    {rule.review}\n\n{tab_note}'
        )
    checks_page = posixpath.relpath("checks.md", posixpath.dirname(page.file.src_uri))
    ruff = ruff_descriptions()
    items = []
    for code in rule.enforced_by:
        tool, what = (
            ("connector-lint", CHECKS[code]) if code in CHECKS else ("ruff", ruff[code])
        )
        items.append(f"    - [`{code}`]({checks_page}#{code.lower()}) {tool}: {what}\n")
    return (
        '!!! enforced "Enforced by"\n\n'
        + "".join(items)
        + f"\n{tab_note}    **Left to review:** {rule.review}\n\n"
    )


def _related_rules(rule: Rule, page: Page) -> str:
    if not rule.related:
        return ""
    items = "\n".join(
        f"- {_link(_lookup(other, page), page)}" for other in rule.related
    )
    return f"\n\n## Related rules\n\n{items}\n"


def _rule_index(page: Page) -> str:
    rows = ["| ID | Rule | In one sentence |", "| --- | --- | --- |"]
    for section in SECTIONS:
        rows.append(f"| | **{section.title}** | |")
        rows.extend(
            f"| `{rule.id}` | [{rule.title}]({_href(rule, page)}) | {rule.statement} |"
            for rule in RULES
            if rule.section == section
        )
    return "\n".join(rows)


def _rule_checklist(page: Page) -> str:
    return "\n".join(
        f"- [ ] [{rule.id} {rule.title}]({_href(rule, page)}): {rule.check}"
        for rule in RULES
    )


def checklist_markdown() -> str:
    """The checklist as a reviewer pastes it into a pull request: plain text, no links."""
    items = "\n".join(f"- [ ] {rule.id} {rule.title}: {rule.check}" for rule in RULES)
    return f"### Error handling ({RULES[0].id} to {RULES[-1].id})\n\n{items}\n"


def checklist_code_block(text: str) -> str:
    """A fenced block longer than any run of backticks in ``text``, so none can close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence} markdown\n{text}{fence}"
