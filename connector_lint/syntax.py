"""What the checks ask of a module's syntax tree: where a node sits, what a handler catches.

Everything here is read from one file's source: nothing is imported or executed, so a name
is known only by how it is spelled, by the classes the same file defines and, for a name the
file neither defines nor imports, by Python's built-in exceptions.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from connector_lint.findings import Finding

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
TryNode = ast.Try | ast.TryStar
NodeT = TypeVar("NodeT", bound=ast.AST)
# Nodes that start a scope of their own: a check of "this function" stops at them.
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
BLIND = frozenset({"Exception", "BaseException"})
SHUTDOWN = ("KeyboardInterrupt", "SystemExit")
EXIT_CALLS = frozenset({"sys.exit", "os._exit", "exit", "quit"})


def dotted(node: ast.expr) -> str | None:
    """``self.helper.connector_logger`` for that expression; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = dotted(node.value)
        return None if owner is None else f"{owner}.{node.attr}"
    return None


def called_name(call: ast.Call) -> str | None:
    """The last part of what is called: ``to_processed`` for ``work.to_processed(...)``."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def local_nodes(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` that runs in the same scope: nested defs are skipped."""
    pending = list(nodes)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, SCOPES):
            pending.extend(ast.iter_child_nodes(node))


def grown_until_stable(step: Callable[[set[str]], set[str]]) -> set[str]:
    """The smallest set that ``step`` adds nothing to, from an empty one: names that reach a
    property directly or through names already found (aliases of aliases, callers of callers)."""
    found: set[str] = set()
    while new := step(found) - found:
        found |= new
    return found


def is_exit_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and dotted(node.func) in EXIT_CALLS


def exits_with_success(node: ast.AST) -> bool:
    """``sys.exit()``, ``sys.exit(0)``, ``raise SystemExit`` or ``raise SystemExit(0)``: the
    process ends with status 0, as if all went well."""
    if isinstance(node, ast.Raise) and node.exc is not None:
        exc = node.exc
        if dotted(exc) == "SystemExit":
            return True
        return (
            isinstance(exc, ast.Call)
            and dotted(exc.func) == "SystemExit"
            and _status_is_success(exc.args)
        )
    return is_exit_call(node) and _status_is_success(node.args)  # type: ignore[attr-defined]


def _status_is_success(args: list[ast.expr]) -> bool:
    if not args:
        return True
    status = args[0]
    return isinstance(status, ast.Constant) and status.value in (0, None, False)


def reraises(handler: ast.ExceptHandler) -> bool:
    """Whether the block raises, anywhere in it: then the error is not handled here."""
    return any(isinstance(node, ast.Raise) for node in local_nodes(handler.body))


def returns_none(node: ast.Return) -> bool:
    return node.value is None or (
        isinstance(node.value, ast.Constant) and node.value.value is None
    )


@dataclass
class Module:
    """A parsed file, with each node's parent, the classes it defines and the names it
    imports."""

    path: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(init=False)
    class_bases: dict[str, list[str]] = field(init=False)
    imported: set[str] = field(init=False)
    # Every node in ast.walk's order, walked once; the checks ask for nodes of a kind often.
    _all: list[ast.AST] = field(init=False, repr=False)
    _of_kind: dict[type[ast.AST], list[Any]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._all = list(ast.walk(self.tree))
        self._of_kind = {}
        self.parents = {
            child: parent
            for parent in self._all
            for child in ast.iter_child_nodes(parent)
        }
        self.class_bases = {
            node.name: [name for base in node.bases if (name := dotted(base))]
            for node in self.nodes(ast.ClassDef)
        }
        self.imported = {
            alias.asname or alias.name.split(".")[0]
            for node in self.nodes(ast.Import | ast.ImportFrom)  # type: ignore[arg-type]
            for alias in node.names
        }

    def finding(
        self,
        node: ast.expr | ast.stmt | ast.keyword | ast.ExceptHandler,
        code: str,
        message: str,
    ) -> Finding:
        return Finding(self.path, node.lineno, node.col_offset + 1, code, message)

    def nodes(self, kind: type[NodeT]) -> list[NodeT]:
        """Every node of ``kind`` in the file, in ``ast.walk`` order."""
        found = self._of_kind.get(kind)
        if found is None:
            found = self._of_kind[kind] = [n for n in self._all if isinstance(n, kind)]
        return list(found)

    def functions(self) -> list[FunctionNode]:
        return [*self.nodes(ast.FunctionDef), *self.nodes(ast.AsyncFunctionDef)]

    def tries(self) -> list[TryNode]:
        return [*self.nodes(ast.Try), *self.nodes(ast.TryStar)]

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        """The function ``node`` runs in; None at module level or in a class body."""
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, SCOPES):
            parent = self.parents.get(parent)
        return (
            parent
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef)
            else None
        )

    def in_handlers(
        self, kind: type[NodeT]
    ) -> Iterator[tuple[ast.ExceptHandler, NodeT]]:
        """Each node of ``kind`` that runs in an ``except`` block, with the innermost such
        block: a node of a handler nested in another belongs to the inner one only, so a
        check that reports it per handler reports it once."""
        for node in self.nodes(kind):
            handler = self.enclosing_handler(node)
            if handler is not None:
                yield handler, node

    def enclosing_handler(self, node: ast.AST) -> ast.ExceptHandler | None:
        """The innermost ``except`` block whose body runs ``node``, in the same scope."""
        child, parent = node, self.parents.get(node)
        while parent is not None and not isinstance(parent, SCOPES):
            if isinstance(parent, ast.ExceptHandler) and child in parent.body:
                return parent
            child, parent = parent, self.parents.get(parent)
        return None

    def is_subclass(
        self, name: str, base: str, seen: frozenset[str] = frozenset()
    ) -> bool:
        """Whether exception class ``name`` derives from ``base``, as far as this file tells.

        Every exception class derives from BaseException. Classes defined in this file are
        followed through their bases; a built-in exception the file does not redefine or
        import under the same name is known by its MRO; anything imported is known only by
        its own name.
        """
        if name == base or base == "BaseException":
            return True
        if name in self.class_bases:
            return name not in seen and any(
                self.is_subclass(parent, base, seen | {name})
                for parent in self.class_bases[name]
            )
        builtin_name, builtin_base = self.builtin(name), self.builtin(base)
        return (
            builtin_name is not None
            and builtin_base is not None
            and builtin_base in builtin_name.__mro__
        )

    def builtin(self, name: str) -> type[BaseException] | None:
        """The built-in exception ``name`` stands for; None when it is none, or when this
        file defines or imports a name that hides it: ``class TimeoutError(Exception)``,
        ``from requests import ConnectionError``."""
        if name in self.class_bases or name in self.imported:
            return None
        candidate = getattr(builtins, name, None)
        if isinstance(candidate, type) and issubclass(candidate, BaseException):
            return candidate
        return None


def caught_names(handler: ast.ExceptHandler) -> list[str] | None:
    """The classes an ``except`` names, as spelled; None for a bare ``except:``.

    A class written as an expression other than a name (``errors[0]``) is left out.
    """
    if handler.type is None:
        return None
    items = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [name for item in items if (name := dotted(item)) is not None]


def catches_everything(handler: ast.ExceptHandler) -> bool:
    """``except:``, ``except Exception`` or ``except BaseException``, alone or in a tuple."""
    names = caught_names(handler)
    return names is None or any(name in BLIND for name in names)


def shutdown_caught(module: Module, handler: ast.ExceptHandler) -> str | None:
    """How the handler is written if it catches KeyboardInterrupt or SystemExit, else None."""
    names = caught_names(handler)
    if names is None:
        return "a bare except"
    for name in names:
        if name == "BaseException" or any(
            module.is_subclass(name, stop) for stop in SHUTDOWN
        ):
            return f"except {name}"
    return None
