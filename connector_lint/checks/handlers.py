"""What an ``except`` block does with the error: return a sentinel, swallow a stop, exit.

OCE003 (ERR-007), OCE004 and OCE010 (ERR-008), OCE007 (ERR-003) and OCE008 (ERR-006).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from connector_lint.checks.entry_points import (
    in_worker_threads,
    shows_its_threads,
    top_level,
)
from connector_lint.findings import Finding
from connector_lint.syntax import (
    SHUTDOWN,
    FunctionNode,
    Module,
    called_name,
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
# A docstring with one of these words says what the bool result means.
BOOL_WORDS = frozenset({"True", "False", "bool", "boolean"})
OPTIONAL = frozenset({"Optional", "typing.Optional"})
# Errors that say a thing is absent, or that the input is not of the form asked about
# (``ip_version("example.com")``): where the signature allows None, None is then the
# declared answer. A failure to find out (OSError, a blind except) is not one.
ABSENCE_ERRORS = frozenset(
    {"KeyError", "IndexError", "LookupError", "StopIteration"}
    | {"ImportError", "ModuleNotFoundError"}  # an optional dependency not installed
    | {"ValueError", "TypeError", "OverflowError"}
    | {"ValidationError"}  # pydantic's, a ValueError: the input is not a valid one
)
ABSENCE_SUFFIXES = ("NotFound", "NotFoundError", "DoesNotExist")
SENTINEL_ADVICE = "raise an exception instead, or warn if the result is still usable"
# The statements after which a handler's block doesn't go on to the code below it.
ENDS_BLOCK = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def sentinel_returns(module: Module) -> Iterator[Finding]:
    """OCE003: a handler that turns the error into None, -1, "" or False."""
    for handler, node in module.in_handlers(ast.Return):
        function = module.enclosing_function(handler)
        sentinel = None if function is None else _sentinel(node, handler, function)
        if sentinel is not None:
            yield module.finding(
                node,
                "OCE003",
                f"except handler returns the sentinel {sentinel}: {SENTINEL_ADVICE}",
            )
    for handler in module.nodes(ast.ExceptHandler):
        if _falls_off_the_end(module, handler):
            yield module.finding(
                handler,
                "OCE003",
                "except handler falls off the end of the function, which returns the "
                f"sentinel None: {SENTINEL_ADVICE}",
            )


def _sentinel(
    node: ast.Return, handler: ast.ExceptHandler, function: FunctionNode
) -> str | None:
    if returns_none(node):
        return "None" if _none_is_a_sentinel(handler, function) else None
    value = node.value
    if isinstance(value, ast.Constant):
        if value.value is False and not _answers_with_bool(function):
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


def _none_is_a_sentinel(handler: ast.ExceptHandler, function: FunctionNode) -> bool:
    """None from a function that returns values: a procedure's early return is no
    sentinel. Where the signature allows None, None is the declared answer to a lookup
    that found nothing (``except KeyError``), or one the docstring says when it comes;
    any other failure turned into None is a sentinel all the same: the failure to find
    out is not an absence."""
    if not _returns_values(function):
        return False
    return not (
        _is_optional(function.returns)
        and (_catches_absence_only(handler) or _documents(function, {"None"}))
    )


def _catches_absence_only(handler: ast.ExceptHandler) -> bool:
    names = caught_names(handler)
    return bool(names) and all(
        name in ABSENCE_ERRORS or name.endswith(ABSENCE_SUFFIXES)
        for name in (name.split(".")[-1] for name in names or [])
    )


def _falls_off_the_end(module: Module, handler: ast.ExceptHandler) -> bool:
    """A handler whose try ends the function and whose block ends with a plain
    statement: the function then returns None, though it returns values elsewhere."""
    function = module.enclosing_function(handler)
    if (
        function is None
        or not function.body
        or function.body[-1] is not module.parents.get(handler)
    ):
        return False
    last = handler.body[-1]
    if isinstance(last, ENDS_BLOCK) or _is_compound(last):
        return False
    if isinstance(last, ast.Expr) and (
        is_exit_call(last.value) or _calls_a_raiser(module, last.value)
    ):
        return False
    generator = any(
        isinstance(node, ast.Yield | ast.YieldFrom)
        for node in local_nodes(function.body)
    )
    return not generator and _none_is_a_sentinel(handler, function)


def _calls_a_raiser(module: Module, node: ast.expr) -> bool:
    """A call of a function of the file whose block ends with ``raise``
    (``self._raise_client_error(msg)``): the handler does not fall through."""
    if not isinstance(node, ast.Call):
        return False
    name = called_name(node)
    return any(
        function.name == name and isinstance(function.body[-1], ast.Raise)
        for function in module.functions()
    )


def _is_compound(statement: ast.stmt) -> bool:
    """A statement with blocks of its own (if, for, with, try, match): its branches may all
    return or raise, which this check does not follow."""
    return any(
        isinstance(getattr(statement, block, None), list)
        and any(isinstance(item, ast.stmt) for item in getattr(statement, block))
        for block in ("body", "orelse", "handlers", "finalbody", "cases")
    )


def _answers_with_bool(function: FunctionNode) -> bool:
    """A predicate: named like a question, one of Python's own (``__contains__``,
    ``__eq__``), declared ``-> bool``, or documented as answering True or False."""
    name = function.name
    dunder = name.startswith("__") and name.endswith("__")
    if dunder or name.lstrip("_").startswith(PREDICATE_PREFIXES):
        return True
    if function.returns is not None and dotted(function.returns) == "bool":
        return True
    return _documents(function, BOOL_WORDS)


def _documents(function: FunctionNode, words: Iterable[str]) -> bool:
    """Whether the function's docstring names one of ``words``: says what it returns."""
    docstring = ast.get_docstring(function) or ""
    return not set(words).isdisjoint(re.findall(r"\w+", docstring))


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
    """OCE004: a handler of KeyboardInterrupt or SystemExit that neither re-raises, nor
    exits, nor leaves the loop it runs in; in a worker thread, where Ctrl+C never arrives
    and a stop ends only the thread, none is reported."""
    workers: set[str] | None = None
    for handler in module.nodes(ast.ExceptHandler):
        written = shutdown_caught(module, handler)
        if written is None or _stops(module, handler):
            continue
        if workers is None:
            workers = in_worker_threads(module)
            # A file without an entry of its own may run in any thread: there a stop is
            # surely caught only where the handler names one.
            unknown_thread = not shows_its_threads(module)
        function = module.enclosing_function(handler)
        if function is not None and function.name in workers:
            continue
        if unknown_thread and not _names_a_stop(module, handler):
            continue
        yield module.finding(
            handler,
            "OCE004",
            f"{written} swallows a request to stop (Ctrl+C, SIGTERM, sys.exit): it "
            "neither re-raises nor exits; report the stop if you must, then raise",
        )


def _names_a_stop(module: Module, handler: ast.ExceptHandler) -> bool:
    """``except KeyboardInterrupt``, ``except SystemExit`` or a subclass of either: not a
    bare except nor ``except BaseException``, which catch a stop along with the rest."""
    return any(
        module.is_subclass(name, stop)
        for name in caught_names(handler) or []
        if name != "BaseException"
        for stop in SHUTDOWN
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
        or (isinstance(node, ast.Break) and _leaves_the_try_loop(module, node, handler))
        for node in local_nodes(handler.body)
    )


def _leaves_the_try_loop(
    module: Module, node: ast.Break, handler: ast.ExceptHandler
) -> bool:
    """A ``break`` of the loop the try runs in, not of a loop inside the handler: the
    work ends, which honours the stop."""
    parent = module.parents.get(node)
    while parent is not None and parent is not handler:
        if isinstance(parent, ast.For | ast.AsyncFor | ast.While):
            return False
        parent = module.parents.get(parent)
    return True


def stops_reported_as_success(module: Module) -> Iterator[Finding]:
    """OCE010: a handler of KeyboardInterrupt or SystemExit that ends the process with
    status 0 (or main() returning 0 from it), wherever it is: the stop looks like a
    successful run to whatever supervises the process."""
    for handler in module.nodes(ast.ExceptHandler):
        written = shutdown_caught(module, handler)
        if written is None:
            continue
        for node in local_nodes(handler.body):
            if _success_exit(module, handler, node) and (
                _innermost_shutdown_handler(module, node) is handler
            ):
                yield module.finding(
                    node,  # type: ignore[arg-type]
                    "OCE010",
                    f"{written} ends the process with status 0: a stop reported as "
                    "success; re-raise, or exit non-zero (130 after Ctrl+C, 143 after "
                    "SIGTERM)",
                )


def _innermost_shutdown_handler(
    module: Module, node: ast.AST
) -> ast.ExceptHandler | None:
    """The innermost handler of a stop that runs ``node``: of nested ones, it reports."""
    handler = module.enclosing_handler(node)
    while handler is not None and shutdown_caught(module, handler) is None:
        handler = module.enclosing_handler(handler)
    return handler


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
    """OCE007: an except clause whose classes an earlier clause of the same try catches;
    one finding per clause, naming each of its classes that never gets its turn."""
    for node in module.tries():
        earlier: list[tuple[str, int]] = []
        for handler in node.handlers:
            names = caught_names(handler) or []
            # Each unreachable class with the first earlier clause that catches it.
            covered: dict[tuple[str, int], list[str]] = {}
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
                    covered.setdefault(wider, []).append(name)
            if covered:
                yield module.finding(
                    handler,
                    "OCE007",
                    "; ".join(
                        _unreachable(module, classes, base, line)
                        for (base, line), classes in covered.items()
                    ),
                )
            earlier.extend((name, handler.lineno) for name in names)


def _unreachable(module: Module, classes: list[str], base: str, line: int) -> str:
    if len(classes) > 1:
        return (
            f"except {', '.join(classes)} never run: the except {base} on line {line} "
            "catches them first; put the narrower classes first"
        )
    where = f"except {classes[0]} never runs: the except {base} on line {line}"
    # Each a subclass of the other: the same class, or an alias of it (IOError, OSError).
    if module.is_subclass(base, classes[0]):
        return f"{where} catches the same class first; remove one of them"
    return f"{where} catches it first; put the narrower class first"


def exits_in_handlers(module: Module) -> Iterator[Finding]:
    """OCE008: sys.exit() (or raise SystemExit) in a handler of a function below the
    program's top (see ``entry_points.top_level``)."""
    top: set[str] | None = None
    for handler, node in module.in_handlers(ast.AST):
        if not isinstance(node, ast.Call | ast.Raise) or not (
            is_exit_call(node) or _raises_system_exit(node)
        ):
            continue
        function = module.enclosing_function(handler)
        if function is None:
            continue
        if top is None:
            top = top_level(module)
        if function.name in top:
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
