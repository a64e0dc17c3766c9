"""The checks, one module per concern; ``run_checks`` runs them all on one parsed file."""

from __future__ import annotations

from collections.abc import Iterator

from connector_lint.checks.handled_tracebacks import handled_tracebacks
from connector_lint.checks.handlers import (
    exits_in_handlers,
    sentinel_returns,
    stops_reported_as_success,
    swallowed_shutdowns,
    unreachable_handlers,
)
from connector_lint.checks.log_calls import errors_outside_blind_handlers, pycti_misuse
from connector_lint.checks.try_size import long_try_bodies
from connector_lint.checks.work import unclosed_works
from connector_lint.findings import Finding
from connector_lint.syntax import Module


def run_checks(module: Module, max_try_statements: int) -> Iterator[Finding]:
    yield from pycti_misuse(module)
    yield from unclosed_works(module)
    yield from sentinel_returns(module)
    yield from swallowed_shutdowns(module)
    yield from errors_outside_blind_handlers(module)
    yield from long_try_bodies(module, max_try_statements)
    yield from unreachable_handlers(module)
    yield from exits_in_handlers(module)
    yield from handled_tracebacks(module)
    yield from stops_reported_as_success(module)
