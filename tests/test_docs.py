"""Gates between the pages and the snippets: nothing shown untested, nothing tested unshown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples
from pytest_examples.config import ExamplesConfig

from site_hooks.snippet_blocks import SHOWN_SECTION
from snippets.rules import RULES, Rule
from tests.doc_sources import (
    DOCS,
    INCLUDE,
    ROOT,
    SECTION_END,
    SECTION_START,
    includes,
    pages,
    shown_files,
)

FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\n`]*)$", re.MULTILINE)
PYTHON_INFO = re.compile(r"^\{?\s*\.?(py|python|python3|pycon)\b", re.IGNORECASE)


def test_every_include_points_at_an_existing_file_and_section() -> None:
    broken = []
    for include in includes():
        if not include.path.is_file():
            broken.append(f"{include}: no such file")
            continue
        if include.section is None:
            continue
        text = include.path.read_text(encoding="utf-8")
        for marker in (SECTION_START, SECTION_END):
            if marker.format(include.section) not in text:
                broken.append(f"{include}: no line {marker.format(include.section)!r}")
    assert not broken, "\n".join(broken)


def test_every_snippet_file_is_shown_on_a_page() -> None:
    shown = {include.path for include in includes()}
    orphans = [p.relative_to(ROOT).as_posix() for p in shown_files() if p not in shown]
    assert not orphans, f"snippet files no page includes: {orphans}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_page_shows_its_dont_and_do_snippets(rule: Rule) -> None:
    page = DOCS / rule.page
    text = page.read_text(encoding="utf-8")
    assert re.search(rf"^---\s*\nrule: {rule.id}\s*\n---", text), (
        "front matter must be rule: ID"
    )
    dont, do = text.find('=== "Don\'t"'), text.find('=== "Do"')
    assert 0 <= dont < do, "a Don't tab, then a Do tab"
    for name, tab_start in (("bad.py", dont), ("good.py", do)):
        target = f"{rule.snippet_dir}/{name}:{SHOWN_SECTION}"
        position = text.find(f'--8<-- "{target}"', tab_start)
        assert position > tab_start, f"{target} is not included in its tab"
    assert "## Why it matters" in text
    assert "## Pitfalls" in text


def _python_fences(page: Path) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m["info"])
        for m in FENCE.finditer(text)
        if PYTHON_INFO.match(m["info"].strip())
    ]


def _is_include_only(example: CodeExample) -> bool:
    lines = [line for line in example.source.splitlines() if line.strip()]
    return bool(lines) and all(INCLUDE.match(line) for line in lines)


def test_every_python_block_in_docs_is_included_or_tested(
    eval_example: EvalExample,
) -> None:
    """Blocks that are not snippet includes are found by pytest-examples and run here."""
    found = list(find_examples(DOCS))
    seen = {(example.path, example.start_line) for example in found}
    unseen = [
        f"{page.relative_to(ROOT)}:{line} ```{info}"
        for page in pages()
        for line, info in _python_fences(page)
        if (page, line) not in seen
    ]
    assert not unseen, (
        f"Python blocks pytest-examples can't see (write ```python): {unseen}"
    )

    eval_example.config = ExamplesConfig(
        line_length=88, quotes="double", target_version="py311"
    )
    for example in found:
        if _is_include_only(example):
            continue
        if eval_example.update_examples:
            eval_example.run_print_update(example)
        else:
            eval_example.lint_ruff(example)
            eval_example.run_print_check(example)
