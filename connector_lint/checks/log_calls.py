"""Logging calls: pycti's logger called the way the standard library's is, ERROR used for the
expected. OCE001 (ERR-013) and OCE005 (ERR-013); ``log_calls`` also serves OCE009.

pycti's logger is ``connector_logger`` (``helper.connector_logger``) and every name the file
binds to it (``self.logger = helper.connector_logger``, ``out = self.helper.connector_logger``),
whatever that name is: see ``pycti_loggers``. Any other call is a standard library logging
call when the object it is made on is spelled like a logger: a word of its last name, split
at underscores, is ``log`` or ends with ``logger`` or ``logging`` (``logger``, ``self._log``,
``LOGGER``, ``logging``, ``getLogger(...)``), so that ``self.catalog.error()`` is not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from connector_lint.checks.per_module import once_per_module
from connector_lint.checks.top_level import runs_at_top, top_level_functions
from connector_lint.findings import Finding
from connector_lint.syntax import (
    Module,
    catches_everything,
    caught_names,
    dotted,
    grown_until_stable,
)

ERROR = 40
LEVEL_NAMES = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}
LEVELS = {name: level for level, name in LEVEL_NAMES.items()}
LEVELS |= {"WARN": 30, "FATAL": 50}  # the older names logging still accepts
METHOD_LEVELS = {"debug": 10, "info": 20, "warning": 30, "warn": 30, "error": 40}
METHOD_LEVELS |= {"exception": 40, "critical": 50, "fatal": 50}
# pycti's AppLogger: debug/info/warning/error(message, meta=None), and nothing else.
PYCTI_METHODS = frozenset({"debug", "info", "warning", "error"})
PYCTI_PARAMETERS = ("message", "meta")
# OpenCTIConnectorHelper's older aliases of the same four methods.
PYCTI_HELPER_METHODS = {"log_debug": 10, "log_info": 20, "log_warning": 30}
PYCTI_HELPER_METHODS |= {"log_error": 40}
# How a standard library logger's name ends, word by word (lower case).
LOGGER_ENDINGS = ("logger", "logging")


@dataclass(frozen=True)
class LogCall:
    call: ast.Call
    receiver: str
    method: str
    level: int | None
    pycti: bool


def pycti_loggers(module: Module) -> set[str]:
    """The names this file binds to pycti's logger, e.g. ``self.logger`` after
    ``self.logger = helper.connector_logger``, followed through further assignments."""
    bound = [(node.targets, node.value) for node in module.nodes(ast.Assign)]
    bound += [
        ([node.target], node.value)
        for node in module.nodes(ast.AnnAssign)
        if node.value is not None
    ]
    assignments = [
        (target, value)
        for targets, expression in bound
        if (value := dotted(expression)) is not None
        for target in map(dotted, targets)
        if target is not None
    ]
    return grown_until_stable(
        lambda known: {
            target
            for target, value in assignments
            if _is_connector_logger(value) or value in known
        }
    )


@once_per_module
def log_calls(module: Module) -> tuple[LogCall, ...]:
    return tuple(_log_calls(module))


def _log_calls(module: Module) -> Iterator[LogCall]:
    pycti = pycti_loggers(module)
    for call in module.nodes(ast.Call):
        if not isinstance(call.func, ast.Attribute):
            continue
        method, receiver = call.func.attr, _receiver(call.func.value)
        if receiver is None:
            continue
        last = receiver.rsplit(".", 1)[-1].lower()
        if method in PYCTI_HELPER_METHODS and "helper" in last:
            yield LogCall(call, receiver, method, PYCTI_HELPER_METHODS[method], True)
        elif method not in METHOD_LEVELS and method != "log":
            continue
        elif _is_connector_logger(receiver) or receiver in pycti:
            yield LogCall(call, receiver, method, _level(call, method), True)
        elif _spelled_like_a_logger(last):
            yield LogCall(call, receiver, method, _level(call, method), False)


def _spelled_like_a_logger(name: str) -> bool:
    return any(
        word == "log" or word.endswith(LOGGER_ENDINGS) for word in name.split("_")
    )


def _receiver(node: ast.expr) -> str | None:
    """The logger's name; ``getLogger(...)`` called on the spot counts as ``getLogger``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
        return (
            "getLogger"
            if dotted(node.func) in ("getLogger", "logging.getLogger")
            else None
        )
    return dotted(node)


def _is_connector_logger(name: str) -> bool:
    return name.rsplit(".", 1)[-1] == "connector_logger"


def _level(call: ast.Call, method: str) -> int | None:
    if method != "log":
        return METHOD_LEVELS[method]
    if not call.args:
        return None
    level = call.args[0]
    if isinstance(level, ast.Constant) and type(level.value) is int:
        return level.value
    name = dotted(level)
    return None if name is None else LEVELS.get(name.rsplit(".", 1)[-1])


def pycti_misuse(module: Module) -> Iterator[Finding]:
    """OCE001: a call pycti's logger does not accept, which raises at run time."""
    for log in log_calls(module):
        if not log.pycti:
            continue
        name = f"{log.receiver}.{log.method}()"
        if log.method not in PYCTI_METHODS and log.method not in PYCTI_HELPER_METHODS:
            yield module.finding(
                log.call,
                "OCE001",
                f"{name}: pycti's logger has no {log.method}() method, an AttributeError "
                "at run time; use debug, info, warning or error",
            )
            continue
        for keyword in log.call.keywords:
            if keyword.arg is not None and keyword.arg not in PYCTI_PARAMETERS:
                yield module.finding(
                    keyword,
                    "OCE001",
                    f"{name}: pycti's logger takes no {keyword.arg} argument, a TypeError "
                    "at run time; put the details in meta (error() adds the traceback)",
                )
        positional = log.call.args
        if len(positional) > 2 and not any(
            isinstance(arg, ast.Starred) for arg in positional
        ):
            yield module.finding(
                log.call,
                "OCE001",
                f"{name}: pycti's logger takes a message and meta, not "
                f"{len(positional)} arguments, a TypeError at run time; put values in meta",
            )


def errors_outside_blind_handlers(module: Module) -> Iterator[Finding]:
    """OCE005: ERROR (or CRITICAL) logged anywhere but in an ``except Exception`` block at
    the top of a run (``top_level``): in a client or a converter, even a blind handler
    catches an error that is handled there or raised to the top, which logs the ERROR."""
    for log in log_calls(module):
        if log.level is None or log.level < ERROR:
            continue
        name = f"{log.receiver}.{log.method}()"
        handler = module.enclosing_handler(log.call)
        if handler is None:
            yield module.finding(
                log.call,
                "OCE005",
                f"{name} logs at ERROR outside any except block: ERROR is for unexpected "
                "exceptions, in the run's except Exception; use WARNING or INFO",
            )
        elif not catches_everything(handler):
            caught = ", ".join(caught_names(handler) or [])
            yield module.finding(
                log.call,
                "OCE005",
                f"{name} logs a handled {caught} at ERROR: an error you handle is a "
                "WARNING; ERROR is for the unexpected, in except Exception",
            )
        elif not runs_at_top(module, log.call, top_level_functions(module)):
            function = module.enclosing_function(log.call)
            where = "this function" if function is None else f"{function.name}()"
            yield module.finding(
                log.call,
                "OCE005",
                f"{name} logs at ERROR in an except Exception of {where}, below the top "
                "of the run: log a WARNING if it handles the error, or let it reach the "
                "run's top-level handler, which logs the ERROR",
            )
