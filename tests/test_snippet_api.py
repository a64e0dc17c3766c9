"""A rule snippet is code a connector developer pastes: it speaks pycti, never stdlib logging.

Each rule's Don't / Do pair logs through ``helper.connector_logger`` and reports through
``helper.api.work`` (pycti's real classes, see ``snippets/recording_helper.py``); a connector
practice imports pycti itself; and each file marks the lines a reader copies.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from site_hooks.snippet_blocks import SHOWN_SECTION, section_lines
from snippets.rules import CONNECTOR, RULES
from tests.doc_sources import ROOT

RULE_SNIPPETS = [
    ROOT / rule.snippet_dir / name for rule in RULES for name in ("bad.py", "good.py")
]
# What a connector reaches through its helper: code that does needs pycti's names.
PYCTI_SURFACE = ("connector_logger", ".api.work")


def _imported_modules(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", RULE_SNIPPETS, ids=_relative)
def test_rule_snippet_logs_through_pycti_not_the_standard_library(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    modules = _imported_modules(ast.parse(source))

    assert "logging" not in modules, "log through helper.connector_logger"
    assert "getLogger" not in source
    is_connector_practice = path.parent.parent.name == CONNECTOR.slug
    if is_connector_practice or any(name in source for name in PYCTI_SURFACE):
        assert "pycti" in modules, "import pycti's names, as the connector does"


@pytest.mark.parametrize("path", RULE_SNIPPETS, ids=_relative)
def test_rule_snippet_marks_the_lines_a_reader_copies(path: Path) -> None:
    lines = section_lines(path.read_text(encoding="utf-8"), SHOWN_SECTION)
    assert any(line.strip() for line in lines)
