"""Fault specs for the platform stand-in: which GraphQL operation fails, how, how often.

A spec is written the same way in Python and in ``POST /_faults`` JSON::

    {"name": "graphql_error", "operation": "workAdd"}
    {"name": "graphql_error", "operation": "StixBundlePush", "times": 2,
     "message": "Bundle rejected", "code": "UNSUPPORTED_ERROR"}
    {"name": "http_503", "operation": "*", "times": 3}
    {"name": "lock_error", "operation": "workToProcessed", "times": 1}
    {"name": "latency", "operation": "*", "seconds": 2.5}
    {"name": "worker_error", "message": "Element(s) not found"}
    {"name": "worker_slow", "seconds": 1}

``operation`` is a GraphQL operation name as pycti sends it (``workAdd``, ``PingConnector``...)
or ``*`` for every operation. ``times`` is how many matching requests fail before they succeed
again; without it, every one fails. ``message`` and ``code`` shape a ``graphql_error`` only.
``forbidden_access``, ``lock_error`` and ``work_not_alive`` answer the platform's own error of
that code. ``latency`` answers normally after ``seconds`` (longer than the client's timeout,
it is a timeout). The two worker faults apply to the ingestion of pushed parts, not to a
request, so they take no ``operation``: ``worker_slow`` spends ``seconds`` on each part,
``worker_error`` reports an error (``message``) for each part instead of ingesting it;
``times`` counts parts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from connector_sandbox.faults import (
    FaultBook,
    InvalidFaultError,
    parse_specs,
    spec_mapping,
    whole_times,
)

__all__ = ["FaultBook", "FaultName", "FaultSpec", "InvalidFaultError", "parse_faults"]


class FaultName(StrEnum):
    """Every fault the stand-in can inject; the values are the names used in JSON."""

    GRAPHQL_ERROR = (
        "graphql_error"  # HTTP 200 with {"errors": [...]}, as the platform fails
    )
    HTTP_500 = "http_500"  # a crashed platform behind its reverse proxy
    HTTP_503 = "http_503"  # a platform that is starting or overloaded
    FORBIDDEN_ACCESS = "forbidden_access"  # the token's user lacks the capability
    LOCK_ERROR = "lock_error"  # too many concurrent calls on the same entities
    WORK_NOT_ALIVE = "work_not_alive"  # the work was deleted (or expired) meanwhile
    LATENCY = "latency"  # a slow answer; past the client's timeout, a timeout
    WORKER_SLOW = "worker_slow"  # the worker takes its time over each part
    WORKER_ERROR = "worker_error"  # the worker fails each part it imports


WORKER_FAULTS = frozenset({FaultName.WORKER_SLOW, FaultName.WORKER_ERROR})
TIMED_FAULTS = frozenset({FaultName.LATENCY, FaultName.WORKER_SLOW})
MAX_SECONDS = 600.0


ANY_OPERATION = "*"
DEFAULT_CODE = "UNKNOWN_ERROR"
VALID_NAMES = tuple(name.value for name in FaultName)
_FIELDS = ("name", "operation", "times", "message", "code", "seconds")
_OPERATION = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_CODE = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class FaultSpec:
    """One fault; build it with ``parse_fault`` to get the same checks as ``POST /_faults``."""

    name: FaultName
    operation: str
    times: int | None = None
    message: str | None = None
    code: str = DEFAULT_CODE
    seconds: float | None = None

    @property
    def on_worker(self) -> bool:
        return self.name in WORKER_FAULTS

    def matches(self, operation: str) -> bool:
        return not self.on_worker and self.operation in (ANY_OPERATION, operation)

    def to_json(self) -> dict[str, object]:
        spec: dict[str, object] = {"name": self.name.value}
        if not self.on_worker:
            spec["operation"] = self.operation
        spec["times"] = self.times
        if self.name in (FaultName.GRAPHQL_ERROR, FaultName.WORKER_ERROR):
            spec["message"] = self.message
        if self.name is FaultName.GRAPHQL_ERROR:
            spec["code"] = self.code
        if self.name in TIMED_FAULTS:
            spec["seconds"] = self.seconds
        return spec


def parse_faults(specs: object) -> list[FaultSpec]:
    """Check one spec or a list of them; InvalidFaultError names the bad one."""
    return parse_specs(specs, parse_fault, FaultSpec)


def parse_fault(spec: object) -> FaultSpec:
    """Check one spec: a ``FaultSpec`` is re-checked, a mapping is read as the JSON form."""
    if isinstance(spec, FaultSpec):
        spec = spec.to_json()
    spec = spec_mapping(spec, _FIELDS)
    name = spec.get("name")
    if name not in VALID_NAMES:
        raise InvalidFaultError(
            f"'name' must be one of {list(VALID_NAMES)}, got {name!r}"
        )
    fault_name = FaultName(name)
    _check_fields_apply(fault_name, spec)
    on_worker = fault_name in WORKER_FAULTS
    return FaultSpec(
        name=fault_name,
        operation=ANY_OPERATION if on_worker else _operation(spec.get("operation")),
        times=whole_times(spec.get("times")),
        message=_message(spec.get("message")),
        code=_code(spec.get("code")),
        seconds=_seconds(spec.get("seconds"), fault_name),
    )


def _check_fields_apply(name: FaultName, spec: Mapping[str, object]) -> None:
    given = {key for key, value in spec.items() if value is not None}
    if "code" in given and name is not FaultName.GRAPHQL_ERROR:
        raise InvalidFaultError("'code' applies only to graphql_error")
    if "message" in given and name not in (
        FaultName.GRAPHQL_ERROR,
        FaultName.WORKER_ERROR,
    ):
        raise InvalidFaultError(
            "'message' applies only to graphql_error and worker_error"
        )
    if "seconds" in given and name not in TIMED_FAULTS:
        raise InvalidFaultError("'seconds' applies only to latency and worker_slow")
    if "operation" in given and name in WORKER_FAULTS:
        raise InvalidFaultError(
            f"{name.value} applies to the worker's ingestion, not to an operation: "
            "leave 'operation' out"
        )


def _seconds(seconds: object, name: FaultName) -> float | None:
    if name not in TIMED_FAULTS:
        return None
    if (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not 0 < seconds <= MAX_SECONDS
    ):
        raise InvalidFaultError(
            f"'seconds' must be a number above 0 and at most {MAX_SECONDS:.0f} for "
            f"{name.value}, got {seconds!r}"
        )
    return float(seconds)


def _operation(operation: object) -> str:
    if operation == ANY_OPERATION:
        return ANY_OPERATION
    if not isinstance(operation, str) or not _OPERATION.fullmatch(operation):
        raise InvalidFaultError(
            f"'operation' must be a GraphQL operation name such as 'workAdd', or '*', got {operation!r}"
        )
    return operation


def _message(message: object) -> str | None:
    if message is not None and (not isinstance(message, str) or not message):
        raise InvalidFaultError(
            f"'message' must be a non-empty string, got {message!r}"
        )
    return message


def _code(code: object) -> str:
    if code is None:
        return DEFAULT_CODE
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise InvalidFaultError(
            f"'code' must be an upper-case error code such as 'UNSUPPORTED_ERROR', got {code!r}"
        )
    return code
