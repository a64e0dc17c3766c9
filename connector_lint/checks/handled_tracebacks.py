"""OCE009 (ERR-013): a traceback logged below ERROR for an error the handler handles.

A handler that does not re-raise has handled the error: the run goes on, and its record is a
WARNING (or INFO, DEBUG) whose reason belongs in the record's fields. A traceback there makes
a skip read like a crash, and it is what tells the ERROR of the unexpected, in the top-level
handler, apart. ``stack_info`` counts too: it writes the same kind of multi-line trace.

Only the standard library's logger is checked here: pycti's takes neither keyword, and OCE001
already reports such a call, once.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from connector_lint.checks.log_calls import ERROR, LEVEL_NAMES, log_calls
from connector_lint.findings import Finding
from connector_lint.syntax import Module, dotted, reraises

# The keywords that put a trace in a record, and what each one puts there.
TRACES = {"exc_info": "a traceback", "stack_info": "a stack trace"}


def handled_tracebacks(module: Module) -> Iterator[Finding]:
    for log in log_calls(module):
        if log.pycti or log.level is None or log.level >= ERROR:
            continue
        handler = module.enclosing_handler(log.call)
        if handler is None or reraises(handler):
            continue  # outside a handler: ruff's LOG014; re-raised: handled further up
        keyword = next(
            (
                keyword
                for keyword in log.call.keywords
                if keyword.arg in TRACES and _asks_for_it(keyword.value, handler)
            ),
            None,
        )
        if keyword is None or keyword.arg is None:
            continue
        level = LEVEL_NAMES.get(log.level, f"level {log.level}")
        yield module.finding(
            keyword,
            "OCE009",
            f"{log.receiver}.{log.method}(): {keyword.arg}= logs {TRACES[keyword.arg]} "
            f"at {level} for a handled error; put the reason in the record's fields "
            "(extra=), keep tracebacks for ERROR in the top-level handler",
        )


def _asks_for_it(value: ast.expr, handler: ast.ExceptHandler) -> bool:
    """Whether ``value`` is surely true: a true constant, the exception the handler caught,
    ``sys.exc_info()`` or a tuple. A value the checker can't evaluate (a flag, a call such
    as ``logger.isEnabledFor(logging.DEBUG)``) is left alone: it may be false."""
    if isinstance(value, ast.Constant):
        return bool(value.value)
    if isinstance(value, ast.Name):
        return value.id == handler.name
    if isinstance(value, ast.Tuple):
        return bool(value.elts)
    return isinstance(value, ast.Call) and dotted(value.func) == "sys.exc_info"
