"""Render rule headers, rule links and the rule index from ``snippets.rules``.

A rule page declares only ``rule: ERR-nnn`` in its front matter; its title, statement and
related-rules list come from the registry, so they can't drift from the index or the tests.
In prose, ``[[ERR-nnn]]`` becomes a link to that rule showing its ID and title.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from snippets.rules import RULES, RULES_BY_ID, SECTIONS, Rule

RULE_INDEX_MARKER = "<!-- rule-index -->"
RULE_LINK = re.compile(r"\[\[(ERR-\d{3})\]\]")


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
        markdown = _rule_header(rule) + markdown + _related_rules(rule, page)
    markdown = markdown.replace(RULE_INDEX_MARKER, _rule_index(page))
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
