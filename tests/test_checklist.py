"""The reviewer checklist is generated from the rule registry: every rule, in order, once."""

from __future__ import annotations

import re

from site_hooks.rules import checklist_code_block, checklist_markdown
from snippets.rules import RULES


def test_markdown_checklist_has_one_unticked_item_per_rule_in_order() -> None:
    lines = checklist_markdown().splitlines()

    assert lines[0] == f"### Error handling ({RULES[0].id} to {RULES[-1].id})"
    assert lines[1] == ""
    assert lines[2:] == [
        f"- [ ] {rule.id} {rule.title}: {rule.check}" for rule in RULES
    ]


def test_every_rule_has_a_one_line_yes_no_check() -> None:
    for rule in RULES:
        assert "\n" not in rule.check, rule.id
        assert rule.check.endswith("?"), rule.id


def test_code_block_fence_is_longer_than_any_backticks_inside() -> None:
    assert checklist_code_block("- [ ] plain\n") == "``` markdown\n- [ ] plain\n```"
    block = checklist_code_block("- [ ] uses ```` fences\n")
    assert re.fullmatch(r"````` markdown\n- \[ \] uses ```` fences\n`````", block)
