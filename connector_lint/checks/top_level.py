"""Which code of a file runs at the top of a connector's run, where ERR-006 and ERR-014 put
the one ``except Exception`` that catches the unexpected (OCE005, OCE006).

The top is the module level (the ``if __name__ == "__main__":`` block), a function named as a
connector's entry points are (``main``, ``run``, ``start``, ``process_message``), a callback
handed to pycti's scheduler or listener (``helper.schedule_period(message_callback=
self.process)``, ``helper.listen(self._process_message)``) or a thread's target, an
``http.server`` handler's ``do_GET``-style methods, a function the module level calls
(``Connector(helper).process()`` in the ``__main__`` block) and, followed within the file by
name, a function such a top calls outside any ``try`` that catches everything: when ``run``
only loops over ``self._run_once()``, the handler of ``_run_once`` is the run's top. A blind
handler anywhere else sits in a client or a converter: the error it catches is not yet known
to be unexpected there.
"""

from __future__ import annotations

import ast
import re

from connector_lint.checks.per_module import once_per_module
from connector_lint.syntax import (
    SCOPES,
    FunctionNode,
    Module,
    called_name,
    catches_everything,
    dotted,
    grown_until_stable,
    local_nodes,
)

ENTRY_POINTS = frozenset(
    {"main", "run", "start", "process_message", "_process_message"}
)
# http.server's request handlers call do_GET, do_POST...: each is the top of a request.
REQUEST_HANDLER = re.compile(r"do_[A-Z]+")
# pycti's helper methods that take the function a run or a message starts in, and the
# thread whose target is the top of what runs in it.
CALLBACK_TAKERS = frozenset(
    {
        "Thread",
        "create_batch_callback",
        "listen",
        "listen_stream",
        "schedule_iso",
        "schedule_period",
        "schedule_process",
        "schedule_unit",
    }
)


@once_per_module
def top_level_functions(module: Module) -> frozenset[str]:
    """The names of this file's functions that run at the top of a run."""
    defined = {function.name for function in module.functions()}
    calls_outside_blind_tries = {
        function.name: {
            name
            for node in local_nodes(function.body)
            if isinstance(node, ast.Call)
            and (name := called_name(node)) in defined
            and not _in_blind_try(module, node)
        }
        for function in module.functions()
    }
    called_at_module_level = {
        name
        for node in local_nodes(module.tree.body)
        if isinstance(node, ast.Call)
        and (name := called_name(node)) is not None
        and not _in_blind_try(module, node)
    }
    roots = {
        name
        for name in defined
        if name in ENTRY_POINTS | _callbacks(module) | called_at_module_level
        or REQUEST_HANDLER.fullmatch(name)
    }
    return frozenset(
        grown_until_stable(
            lambda top: (
                roots
                | {
                    name
                    for caller in top
                    for name in calls_outside_blind_tries.get(caller, ())
                }
            )
        )
    )


def runs_at_top(module: Module, node: ast.AST, top: frozenset[str]) -> bool:
    """Whether ``node`` runs at module level or in a function of ``top``."""
    function: FunctionNode | None = module.enclosing_function(node)
    return function is None or function.name in top


def _callbacks(module: Module) -> set[str]:
    found = set()
    for call in module.nodes(ast.Call):
        if called_name(call) not in CALLBACK_TAKERS:
            continue
        for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
            name = dotted(argument)
            if name is not None:
                found.add(name.rsplit(".", 1)[-1])
    return found


def _in_blind_try(module: Module, node: ast.AST) -> bool:
    """Whether ``node`` runs in the body of a ``try`` of its scope that catches everything."""
    child, parent = node, module.parents.get(node)
    while parent is not None and not isinstance(parent, SCOPES):
        if (
            isinstance(parent, ast.Try | ast.TryStar)
            and child in parent.body
            and any(catches_everything(handler) for handler in parent.handlers)
        ):
            return True
        child, parent = parent, module.parents.get(parent)
    return False
