"""OCE006 (ERR-001): a ``try`` body with more statements than the limit.

Statements are counted through the blocks they contain (the body of an ``if``, a loop, a
``with``, a ``match``), since each can raise; a nested ``try`` counts as one, as its own body
is checked on its own, and a nested ``def`` or ``class`` as one, as its body does not run there.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from connector_lint.findings import Finding
from connector_lint.syntax import Module

NOT_ENTERED = (
    ast.Try,
    ast.TryStar,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


def long_try_bodies(module: Module, max_statements: int) -> Iterator[Finding]:
    for node in module.tries():
        count = count_statements(node.body)
        if count > max_statements:
            yield module.finding(
                node,
                "OCE006",
                f"try body has {count} statements (limit {max_statements}): wrap only the "
                "statement that can raise the error you handle",
            )


def count_statements(statements: list[ast.stmt]) -> int:
    total = 0
    for statement in statements:
        total += 1
        if not isinstance(statement, NOT_ENTERED):
            total += sum(count_statements(block) for block in _blocks(statement))
    return total


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    if isinstance(statement, ast.If | ast.For | ast.AsyncFor | ast.While):
        return [statement.body, statement.orelse]
    if isinstance(statement, ast.With | ast.AsyncWith):
        return [statement.body]
    if isinstance(statement, ast.Match):
        return [case.body for case in statement.cases]
    return []
