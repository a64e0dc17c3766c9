"""OCE002 (ERR-015): a work opened with ``initiate_work`` must be closed in a ``finally``.

An exception or a stop between ``initiate_work`` and ``to_processed`` leaves the work "in
progress" in OpenCTI for ever, unless ``to_processed`` runs in a ``finally`` of the same
function. The ``finally`` may call a function or method of the same file that closes it
(``self._finish()`` calling ``self._close_work()`` calling ``to_processed``): calls are
followed by name, within the file.

A function that returns the work it opens (``return helper.api.work.initiate_work(...)``, or
the name it assigned it to) hands the work to its caller: the work is opened where the helper
is called, and that caller's ``finally`` must close it, so the finding points at the caller's
call of the helper, not at the helper. A function that uses the work before it returns its id
(sends a bundle into it) is not such a helper: it is checked as the one that opens it. Helpers of helpers are followed the same way; a helper
no function of the file calls is not reported, as its caller is in another file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from connector_lint.checks.log_calls import METHOD_LEVELS, PYCTI_HELPER_METHODS
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
LOG_METHODS = frozenset({*METHOD_LEVELS, *PYCTI_HELPER_METHODS, "log"})


def unclosed_works(module: Module) -> Iterator[Finding]:
    if not any(node.attr == OPEN for node in module.nodes(ast.Attribute)):
        return  # most files open no work: nothing to follow
    closers = _closing_functions(module)
    openers = _opening_functions(module)
    scopes: list[ast.Module | FunctionNode] = [module.tree, *module.functions()]
    for scope in scopes:
        opened = [
            node
            for node in local_nodes(scope.body)
            if isinstance(node, ast.Call) and _opens(node, openers)
        ]
        if not opened or _closes_in_finally(scope, closers):
            continue
        if not isinstance(scope, ast.Module) and scope.name in openers:
            continue  # it hands the work to its caller, which is checked
        for call in opened:
            yield module.finding(
                call,
                "OCE002",
                f"work opened here is not closed in a finally: call {CLOSE} in a "
                "finally of this function, or an error leaves it in progress",
            )


def _opens(call: ast.Call, openers: set[str]) -> bool:
    """``...work.initiate_work(...)``, or a call of a function of the file that returns
    the work it opens."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == OPEN:
        return True
    return called_name(call) in openers


def _opening_functions(module: Module) -> set[str]:
    """Names of the functions of this file that return a work they open, directly or
    through another such function."""
    functions = module.functions()
    return grown_until_stable(
        lambda openers: {
            function.name
            for function in functions
            if _returns_opened(function, openers)
        }
    )


def _returns_opened(function: FunctionNode, openers: set[str]) -> bool:
    """Whether ``function`` returns the result of an opening call, or a name it assigned
    that result to without using the work (passing it to a call other than a log): a
    function that sends bundles into the work before returning its id has done the work's
    job, and is checked as the function that opens it."""
    nodes = list(local_nodes(function.body))
    holders = {
        target.id
        for node in nodes
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Call)
        and _opens(node.value, openers)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    if any(
        isinstance(node, ast.Call)
        and called_name(node) not in LOG_METHODS
        and any(
            isinstance(argument, ast.Name) and argument.id in holders
            for argument in [*node.args, *(k.value for k in node.keywords)]
        )
        for node in nodes
    ):
        return False
    return any(
        isinstance(node, ast.Return)
        and node.value is not None
        and (
            (isinstance(node.value, ast.Call) and _opens(node.value, openers))
            or (isinstance(node.value, ast.Name) and node.value.id in holders)
        )
        for node in nodes
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
