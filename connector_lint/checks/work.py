"""OCE002 (ERR-015): a work opened with ``initiate_work`` must be closed in a ``finally``.

An exception or a stop between ``initiate_work`` and ``to_processed`` leaves the work "in
progress" in OpenCTI for ever, unless ``to_processed`` runs in a ``finally`` of the same
function. The ``finally`` may call a function or method of the same file that closes it
(``self._finish()`` calling ``self._close_work()`` calling ``to_processed``): calls are
followed by name, within the file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from connector_lint.findings import Finding
from connector_lint.syntax import (
    FunctionNode,
    Module,
    called_name,
    grown_until_stable,
    local_nodes,
)

OPEN = "initiate_work"
CLOSE = "to_processed"


def unclosed_works(module: Module) -> Iterator[Finding]:
    closers = _closing_functions(module)
    scopes: list[ast.Module | FunctionNode] = [module.tree, *module.functions()]
    for scope in scopes:
        opened = [
            node
            for node in local_nodes(scope.body)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == OPEN
        ]
        if opened and not _closes_in_finally(scope, closers):
            for call in opened:
                yield module.finding(
                    call,
                    "OCE002",
                    f"work opened here is not closed in a finally: call {CLOSE} in a "
                    "finally of this function, or an error leaves it in progress",
                )


def _closing_functions(module: Module) -> set[str]:
    """Names of the functions of this file that call to_processed, directly or not."""
    calls: dict[str, set[str]] = {}
    for function in module.functions():
        # Two functions of the same name (methods of two classes) are one name here.
        calls.setdefault(function.name, set()).update(
            name
            for node in local_nodes(function.body)
            if isinstance(node, ast.Call) and (name := called_name(node))
        )
    return grown_until_stable(
        lambda closers: {
            name
            for name, called in calls.items()
            if CLOSE in called or called & closers
        }
    )


def _closes_in_finally(scope: ast.Module | FunctionNode, closers: set[str]) -> bool:
    return any(
        isinstance(node, ast.Call) and called_name(node) in closers | {CLOSE}
        for statement in local_nodes(scope.body)
        if isinstance(statement, ast.Try | ast.TryStar)
        for node in local_nodes(statement.finalbody)
    )
