"""What an ``except`` block does with the error: return a sentinel, swallow a stop, exit.

OCE003 (ERR-007), OCE004 and OCE010 (ERR-008), OCE007 (ERR-003) and OCE008 (ERR-006).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from connector_lint.findings import Finding
from connector_lint.syntax import (
    FunctionNode,
    Module,
    caught_names,
    dotted,
    exits_with_success,
    is_exit_call,
    local_nodes,
    reraises,
    returns_none,
    shutdown_caught,
)

# A predicate answers its question with False: that is a result, not a sentinel.
PREDICATE_PREFIXES = ("is_", "has_", "can_", "should_", "was_", "needs_", "supports_")
OPTIONAL = frozenset({"Optional", "typing.Optional"})


def sentinel_returns(module: Module) -> Iterator[Finding]:
    """OCE003: a handler that turns the error into None, -1, "" or False."""
    for handler, node in module.in_handlers(ast.Return):
        function = module.enclosing_function(handler)
        sentinel = None if function is None else _sentinel(node, function)
        if sentinel is not None:
            yield module.finding(
                node,
                "OCE003",
                f"except handler returns the sentinel {sentinel}: raise an "
                "exception instead, or warn if the result is still usable",
            )


def _sentinel(node: ast.Return, function: FunctionNode) -> str | None:
    if returns_none(node):
        # A procedure's early return is not a sentinel, nor a None the signature declares.
        if _returns_values(function) and not _is_optional(function.returns):
            return "None"
        return None
    value = node.value
    if isinstance(value, ast.Constant):
        if value.value is False and not _is_predicate(function):
            return "False"
        if value.value in ("", b""):
            return repr(value.value)
    if (
        isinstance(value, ast.UnaryOp)
        and isinstance(value.op, ast.USub)
        and isinstance(value.operand, ast.Constant)
        and type(value.operand.value) is int
        and value.operand.value > 0
    ):
        return f"-{value.operand.value}"
    return None


def _is_predicate(function: FunctionNode) -> bool:
    """Named like a question, or one of Python's own (``__contains__``, ``__eq__``)."""
    name = function.name
    dunder = name.startswith("__") and name.endswith("__")
    return dunder or name.lstrip("_").startswith(PREDICATE_PREFIXES)


def _returns_values(function: FunctionNode) -> bool:
    return any(
        isinstance(node, ast.Return) and not returns_none(node)
        for node in local_nodes(function.body)
    )


def _is_optional(annotation: ast.expr | None) -> bool:
    """``X | None``, ``Optional[X]`` or ``None``: the type checker makes callers handle it."""
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    return any(
        (isinstance(node, ast.Constant) and node.value is None)
        or (isinstance(node, ast.Name | ast.Attribute) and dotted(node) in OPTIONAL)
        for node in ast.walk(annotation)
    )


def swallowed_shutdowns(module: Module) -> Iterator[Finding]:
    """OCE004: a handler of KeyboardInterrupt or SystemExit that neither re-raises nor exits."""
    for handler in module.nodes(ast.ExceptHandler):
        written = shutdown_caught(module, handler)
        if written is None or _stops(module, handler):
            continue
        yield module.finding(
            handler,
            "OCE004",
            f"{written} swallows a request to stop (Ctrl+C, SIGTERM, sys.exit): it "
            "neither re-raises nor exits; report the stop if you must, then raise",
        )


def _stops(module: Module, handler: ast.ExceptHandler) -> bool:
    function = module.enclosing_function(handler)
    # main() returning the exit code is exiting: the module calls sys.exit(main()).
    returns_exit_code = function is not None and function.name == "main"
    return reraises(handler) or any(
        is_exit_call(node)
        or (
            returns_exit_code
            and isinstance(node, ast.Return)
            and not returns_none(node)
        )
        for node in local_nodes(handler.body)
    )


def stops_reported_as_success(module: Module) -> Iterator[Finding]:
    """OCE010: a handler of KeyboardInterrupt or SystemExit that ends the process with
    status 0 (or main() returning 0 from it), wherever it is: the stop looks like a
    successful run to whatever supervises the process."""
    for handler in module.nodes(ast.ExceptHandler):
        written = shutdown_caught(module, handler)
        if written is None:
            continue
        for node in local_nodes(handler.body):
            if _success_exit(module, handler, node):
                yield module.finding(
                    node,  # type: ignore[arg-type]
                    "OCE010",
                    f"{written} ends the process with status 0: a stop reported as "
                    "success; re-raise, or exit non-zero (130 after Ctrl+C, 143 after "
                    "SIGTERM)",
                )


def _success_exit(module: Module, handler: ast.ExceptHandler, node: ast.AST) -> bool:
    if exits_with_success(node):
        return True
    function = module.enclosing_function(handler)
    return (
        function is not None
        and function.name == "main"
        and isinstance(node, ast.Return)
        and isinstance(node.value, ast.Constant)
        and node.value.value == 0  # 0 or False: sys.exit(main()) exits 0
    )


def unreachable_handlers(module: Module) -> Iterator[Finding]:
    """OCE007: an except clause whose classes an earlier clause of the same try catches."""
    for node in module.tries():
        earlier: list[tuple[str, int]] = []
        for handler in node.handlers:
            names = caught_names(handler) or []
            for name in names:
                wider = next(
                    (
                        (base, line)
                        for base, line in earlier
                        if module.is_subclass(name, base)
                    ),
                    None,
                )
                if wider is not None:
                    yield module.finding(
                        handler, "OCE007", _unreachable(module, name, *wider)
                    )
            earlier.extend((name, handler.lineno) for name in names)


def _unreachable(module: Module, name: str, base: str, line: int) -> str:
    where = f"except {name} never runs: the except {base} on line {line}"
    # Each a subclass of the other: the same class, or an alias of it (IOError, OSError).
    if module.is_subclass(base, name):
        return f"{where} catches the same class first; remove one of them"
    return f"{where} catches it first; put the narrower class first"


def exits_in_handlers(module: Module) -> Iterator[Finding]:
    """OCE008: sys.exit() (or raise SystemExit) in a handler of a function other than main."""
    for handler, node in module.in_handlers(ast.AST):
        if not isinstance(node, ast.Call | ast.Raise) or not (
            is_exit_call(node) or _raises_system_exit(node)
        ):
            continue
        function = module.enclosing_function(handler)
        if function is None or function.name == "main":
            continue
        if shutdown_caught(module, handler) and exits_with_success(node):
            continue  # OCE010 reports it, under the rule it breaks
        yield module.finding(
            node,
            "OCE008",
            f"{function.name}() ends the process from an except handler: raise, "
            "and let the layer that knows what comes next decide",
        )


def _raises_system_exit(node: ast.AST) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return dotted(raised) == "SystemExit"
