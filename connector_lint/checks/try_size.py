"""OCE006 (ERR-001): a ``try`` body with more statements that can raise than the limit.

What a handler catches comes from a call (``client.get_ioc(...)``, ``int(raw)``, ``await``) or
a subscript read (``ioc["value"]``, not a slice, not an assignment's target) when a handler
catches what it raises (``KeyError``, ``IndexError``, ``TypeError``, a base of theirs, or
everything); an assignment of a literal or a name, a ``pass``, a ``raise``
(the body's own way to the handler), a logging call or a call that does not fail in practice
(``len``, ``isinstance``, ``items.append``, ``text.replace``, ``getattr`` with a default,
``ioc.get("value")`` or ``ioc.get(key, default)``: a dict's, as an HTTP client's ``get`` is
given a URL or a path and options by keyword) can't raise what it was written for, and
``response.raise_for_status()`` is part of the request it checks. A statement
counts once however many of them it holds; an ``if``, a loop, a ``with`` or a ``match`` counts
when its own line can raise, and the statements of its blocks count too, as they run in the
``try``: those of a loop's or a ``with``'s body all, those of an ``if`` or a ``match`` the
longest branch's, as one branch runs. A nested ``try`` counts as one, as its own body is checked on its own; a nested
``def`` or ``class`` runs nothing there.

Not checked: a ``try`` with no ``except`` (``try``/``finally``, the cleanup ERR-015 asks for),
one whose handlers catch only a stop (``KeyboardInterrupt``, ``SystemExit``: a stop can come at
any statement) or re-raise what they caught (``raise``: a report or a cleanup, as a ``finally``
is), and the blind ``except Exception`` at the top of a run (``top_level``), which ERR-006 and
ERR-014 want around the whole run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from connector_lint.checks.log_calls import log_calls
from connector_lint.checks.top_level import runs_at_top, top_level_functions
from connector_lint.findings import Finding
from connector_lint.syntax import (
    SHUTDOWN,
    Module,
    TryNode,
    catches_everything,
    caught_names,
    dotted,
    local_nodes,
)

# What a subscript raises, and their bases.
LOOKUP_ERRORS = frozenset(
    {"KeyError", "IndexError", "TypeError", "LookupError", "Exception", "BaseException"}
)
NOT_ENTERED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Calls that raise nothing a handler is written for.
QUIET_FUNCTIONS = frozenset(
    {
        *("isinstance", "issubclass", "hasattr", "callable", "len", "print", "repr"),
        *("str", "bool", "list", "dict", "set", "tuple", "type", "id", "sorted"),
        *("enumerate", "range", "zip", "any", "all", "cast", "typing.cast"),
        *("round", "abs", "min", "max", "json.dumps"),
        *("io.BytesIO", "io.StringIO", "BytesIO", "StringIO"),
        *("time.time", "time.monotonic", "time.sleep", "sleep"),
        *("datetime.now", "datetime.utcnow", "datetime.datetime.now", "date.today"),
    }
)
QUIET_METHODS = frozenset(
    {
        *("append", "extend", "add", "items", "keys", "values", "copy"),
        *("lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith"),
        *("replace", "split", "rsplit", "join", "isoformat", "strftime"),
        # The status check of a response is part of the request it checks.
        "raise_for_status",
    }
)


def long_try_bodies(module: Module, max_statements: int) -> Iterator[Finding]:
    log_nodes = {log.call for log in log_calls(module)}
    for node in module.tries():
        if not node.handlers:
            continue
        lookups = any(_catches_lookups(handler) for handler in node.handlers)
        count = count_raising(node.body, Quiet(log_nodes, lookups))
        # Which functions are a run's top is asked only of a try that goes over.
        if count > max_statements and not _exempt(
            module, node, top_level_functions(module)
        ):
            yield module.finding(
                node,
                "OCE006",
                f"try body has {count} statements that can raise (calls, subscripts; "
                f"limit {max_statements}): wrap only the statement that can raise the "
                "error you handle",
            )


@dataclass(frozen=True)
class Quiet:
    """What raises nothing the ``try``'s handlers catch: its logging calls, and its
    subscripts unless a handler catches what they raise (``_catches_lookups``)."""

    log_calls: set[ast.Call]
    lookups: bool


def _catches_lookups(handler: ast.ExceptHandler) -> bool:
    """Whether the handler catches what a subscript raises: KeyError, IndexError, TypeError,
    one of their bases, or everything."""
    names = caught_names(handler)
    return names is None or any(name in LOOKUP_ERRORS for name in names)


def _exempt(module: Module, node: TryNode, top: frozenset[str]) -> bool:
    if all(_passes_through(handler) for handler in node.handlers):
        return True
    return any(catches_everything(h) for h in node.handlers) and runs_at_top(
        module, node, top
    )


def _passes_through(handler: ast.ExceptHandler) -> bool:
    """A stop's handler, or one that re-raises what it caught (``raise``): it reports or
    cleans up, and the error goes on as it came, so it mistakes no error for another."""
    return _catches_only_a_stop(handler) or any(
        isinstance(node, ast.Raise) and node.exc is None
        for node in local_nodes(handler.body)
    )


def _catches_only_a_stop(handler: ast.ExceptHandler) -> bool:
    names = caught_names(handler)
    return bool(names) and all(name in SHUTDOWN for name in names or [])


def count_raising(statements: list[ast.stmt], quiet: Quiet) -> int:
    total = 0
    for statement in statements:
        if isinstance(statement, NOT_ENTERED):
            continue
        if isinstance(statement, ast.Try | ast.TryStar):
            total += 1
            continue
        total += _can_raise(statement, quiet)
        if isinstance(statement, ast.If | ast.Match):
            # One branch runs: the body holds what its longest branch holds.
            total += max(
                (count_raising(block, quiet) for block in _blocks(statement)),
                default=0,
            )
        else:
            total += sum(count_raising(block, quiet) for block in _blocks(statement))
    return total


def _can_raise(statement: ast.stmt, quiet: Quiet) -> bool:
    if isinstance(statement, ast.Raise):
        return False
    pending = list(_own_expressions(statement))
    if (
        quiet.lookups
        and isinstance(statement, ast.AugAssign)
        and isinstance(statement.target, ast.Subscript)
    ):
        return True  # counts[key] += 1 reads counts[key] first
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            continue  # its body runs when it is called, not here
        if isinstance(node, ast.Await):
            return True
        if (
            quiet.lookups
            and isinstance(node, ast.Subscript)
            and not isinstance(node.slice, ast.Slice)
        ):
            return True  # a slice (value[:100]) raises no IndexError
        if isinstance(node, ast.Call):
            if node in quiet.log_calls:
                continue
            if not _quiet(node):
                return True
            pending.extend([*node.args, *(k.value for k in node.keywords)])
            continue
        pending.extend(ast.iter_child_nodes(node))
    return False


def _quiet(call: ast.Call) -> bool:
    if isinstance(call.func, ast.Attribute):
        if call.func.attr in QUIET_METHODS:
            return True
        if call.func.attr == "get" and _a_dict_get(call):
            return True
    if dotted(call.func) == "getattr":
        return len(call.args) == 3  # with a default, it does not raise
    return dotted(call.func) in QUIET_FUNCTIONS


def _a_dict_get(call: ast.Call) -> bool:
    """``ioc.get("value")`` or ``ioc.get(key, default)``: a dict's ``get``, as an HTTP
    client's is given a URL or a path (with a ``/``) and its options by keyword."""
    if call.keywords:
        return False
    if len(call.args) == 2:
        return True
    return (
        len(call.args) == 1
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and "/" not in call.args[0].value
    )


def _own_expressions(statement: ast.stmt) -> list[ast.AST]:
    """What runs on the statement's own line: for a block, its header only."""
    if isinstance(statement, ast.If | ast.While):
        return [statement.test]
    if isinstance(statement, ast.For | ast.AsyncFor):
        return [statement.iter]
    if isinstance(statement, ast.With | ast.AsyncWith):
        return [item.context_expr for item in statement.items]
    if isinstance(statement, ast.Match):
        return [statement.subject]
    if isinstance(statement, ast.AnnAssign):
        return [] if statement.value is None else [statement.value]
    if isinstance(statement, ast.Assign):
        # Writing case["data"]["type"] = value builds a dict: only the value is read.
        return [statement.value]
    return list(ast.iter_child_nodes(statement))


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    if isinstance(statement, ast.If | ast.For | ast.AsyncFor | ast.While):
        return [statement.body, statement.orelse]
    if isinstance(statement, ast.With | ast.AsyncWith):
        return [statement.body]
    if isinstance(statement, ast.Match):
        return [case.body for case in statement.cases]
    return []
