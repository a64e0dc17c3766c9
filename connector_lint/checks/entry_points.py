"""Where a function of the file runs: at the program's top, or in a thread of its own.

Read from one file, functions known by name: a function is the entry of a thread when the file
hands it to ``Thread(target=...)``, ``Timer(...)``, an executor's ``submit()`` or pycti's
``listen()`` / ``listen_stream()`` (whose callbacks pycti runs in threads of its own), or when
it is the ``run`` of a class derived from ``Thread``. A function runs in a worker thread when
it is such an entry, or when every use of it in the file is in a function that does.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from connector_lint.syntax import Module, called_name, dotted, grown_until_stable

# pycti runs the callback of listen() in its ListenQueue thread, of listen_stream() in its
# ListenStream thread: an exception it raises is caught and reported by pycti.
PYCTI_LISTENERS = frozenset({"listen", "listen_stream"})
PYCTI_CALLBACK = "message_callback"
# The methods connectors' entry files call (``connector.run()``), in another file.
CONVENTIONAL_ENTRIES = frozenset({"run", "start"})


def _function_name(node: ast.expr | None) -> str | None:
    """``process`` for ``process`` or ``self.process``: a function handed over, not called."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def thread_entries(module: Module) -> set[str]:
    """Functions a thread starts with, whose exceptions no caller of the file receives."""
    entries = set()
    for call in module.nodes(ast.Call):
        called = called_name(call)
        handed: ast.expr | None = None
        if called == "Thread":
            handed = _argument(call, 1, "target")  # Thread(group, target, ...)
        elif called == "Timer":
            handed = _argument(call, 1, "function")
        elif called == "submit" and isinstance(call.func, ast.Attribute):
            handed = _argument(call, 0, "fn")
        if (name := _function_name(handed)) is not None:
            entries.add(name)
    for node in module.nodes(ast.ClassDef):
        if any(
            base.split(".")[-1] == "Thread" for base in module.class_bases[node.name]
        ):
            entries.update(
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name == "run"
            )
    return entries


def pycti_callbacks(module: Module) -> set[str]:
    """Functions handed to pycti's ``listen()`` or ``listen_stream()``."""
    return {
        name
        for call in module.nodes(ast.Call)
        if called_name(call) in PYCTI_LISTENERS and isinstance(call.func, ast.Attribute)
        if (name := _function_name(_argument(call, 0, PYCTI_CALLBACK))) is not None
    }


def _uses(module: Module) -> dict[str, list[str | None]]:
    """For each function of the file, the functions that name it (None: at module level);
    a function naming itself, recursively, is left out."""
    defined = {node.name for node in module.functions()}
    uses: dict[str, list[str | None]] = defaultdict(list)
    for node in module.nodes(ast.Name | ast.Attribute):  # type: ignore[arg-type]
        name = node.id if isinstance(node, ast.Name) else node.attr
        if name in defined:
            user = module.enclosing_function(node)
            if user is None or user.name != name:
                uses[name].append(None if user is None else user.name)
    return uses


def in_worker_threads(module: Module) -> set[str]:
    """Functions that run in a thread other than the main one: Ctrl+C never reaches them."""
    entries = thread_entries(module) | pycti_callbacks(module)
    uses = _uses(module)
    return grown_until_stable(
        lambda found: (
            entries
            | {
                name
                for name, users in uses.items()
                if users and all(user in found for user in users)
            }
        )
    )


def _main_block_calls(module: Module) -> set[str]:
    """What the ``if __name__ == "__main__":`` blocks call, by name."""
    called: set[str] = set()
    for statement in module.tree.body:
        if isinstance(statement, ast.If) and _is_main_test(statement.test):
            called.update(
                name
                for node in ast.walk(statement)
                if isinstance(node, ast.Call) and (name := called_name(node))
            )
    return called


def _is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, either way round."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.comparators) == 1
        and isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = [test.left, test.comparators[0]]
    names = {dotted(side) for side in sides}
    texts = {side.value for side in sides if isinstance(side, ast.Constant)}
    return "__name__" in names and "__main__" in texts


def top_level(module: Module) -> set[str]:
    """Functions at the program's top, which decide how the process ends: ``main``, what
    the ``__main__`` block calls, the entries of threads, and a ``run()`` or ``start()``
    the file itself never names (a connector's entry file calls it)."""
    uses = _uses(module)
    unnamed_entries = {
        function.name
        for function in module.functions()
        if function.name in CONVENTIONAL_ENTRIES and not uses.get(function.name)
    }
    return (
        {"main"} | _main_block_calls(module) | thread_entries(module) | unnamed_entries
    )


def shows_its_threads(module: Module) -> bool:
    """Whether the file has an entry of its own (a ``__main__`` block, ``main()``, a thread's
    entry, a pycti callback, a ``run()`` or ``start()`` method): without one, which thread
    runs its functions is decided in another file."""
    defined = {node.name for node in module.functions()}
    entries = top_level(module) | pycti_callbacks(module)
    return _has_main_block(module) or not defined.isdisjoint(entries)


def _has_main_block(module: Module) -> bool:
    return any(
        isinstance(statement, ast.If) and _is_main_test(statement.test)
        for statement in module.tree.body
    )
