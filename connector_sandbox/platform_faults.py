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
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


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


class InvalidFaultError(ValueError):
    """A fault spec that can't be used; the message says why."""


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
    items = [specs] if isinstance(specs, Mapping | FaultSpec) else specs
    if not isinstance(items, list | tuple):
        raise InvalidFaultError("expected a fault spec object or a list of them")
    faults = []
    for position, item in enumerate(items):
        try:
            faults.append(parse_fault(item))
        except InvalidFaultError as err:
            raise InvalidFaultError(f"fault #{position}: {err}") from err
    return faults


def parse_fault(spec: object) -> FaultSpec:
    """Check one spec: a ``FaultSpec`` is re-checked, a mapping is read as the JSON form."""
    if isinstance(spec, FaultSpec):
        spec = spec.to_json()
    if not isinstance(spec, Mapping):
        raise InvalidFaultError(
            f"a fault spec must be an object, got {type(spec).__name__}"
        )
    unknown = sorted(str(key) for key in spec if key not in _FIELDS)
    if unknown:
        raise InvalidFaultError(
            f"unknown field(s) {unknown}; valid fields: {list(_FIELDS)}"
        )
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
        times=_times(spec.get("times")),
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


def _times(times: object) -> int | None:
    if times is None:
        return None
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        raise InvalidFaultError(
            f"'times' must be a whole number of at least 1, got {times!r}"
        )
    return times


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


class FaultBook:
    """The active faults and how often each fired; safe to share between threads."""

    def __init__(self, faults: Iterable[FaultSpec] = ()) -> None:
        self._lock = threading.Lock()
        self._faults: tuple[FaultSpec, ...] = tuple(faults)
        self._fired: list[int] = [0] * len(self._faults)

    def replace(self, faults: Iterable[FaultSpec]) -> None:
        """Use these faults from now on, with every ``times`` count starting afresh."""
        with self._lock:
            self._faults = tuple(faults)
            self._fired = [0] * len(self._faults)

    def to_json(self) -> list[dict[str, object]]:
        """The active faults, each with how many times it fired so far."""
        with self._lock:
            return [
                {**fault.to_json(), "fired": fired}
                for fault, fired in zip(self._faults, self._fired, strict=True)
            ]

    def take_worker(self) -> list[FaultSpec]:
        """The worker faults that apply to the next part, each counted as fired."""
        taken = []
        with self._lock:
            for index, fault in enumerate(self._faults):
                if not fault.on_worker:
                    continue
                if fault.times is not None and self._fired[index] >= fault.times:
                    continue
                self._fired[index] += 1
                taken.append(fault)
        return taken

    def take(self, operation: str) -> FaultSpec | None:
        """The fault to apply to this operation, counted as fired; the first match wins.

        None means "answer normally": it is the common case, not an error.
        """
        with self._lock:
            for index, fault in enumerate(self._faults):
                if not fault.matches(operation):
                    continue
                if fault.times is not None and self._fired[index] >= fault.times:
                    continue
                self._fired[index] += 1
                return fault
        return None
