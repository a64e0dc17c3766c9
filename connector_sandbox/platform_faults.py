"""Fault specs for the platform stand-in: which GraphQL operation fails, how, how often.

A spec is written the same way in Python and in ``POST /_faults`` JSON::

    {"name": "graphql_error", "operation": "workAdd"}
    {"name": "graphql_error", "operation": "StixBundlePush", "times": 2,
     "message": "Bundle rejected", "code": "UNSUPPORTED_ERROR"}
    {"name": "http_503", "operation": "*", "times": 3}

``operation`` is a GraphQL operation name as pycti sends it (``workAdd``, ``PingConnector``...)
or ``*`` for every operation. ``times`` is how many matching requests fail before they succeed
again; without it, every one fails. ``message`` and ``code`` shape a ``graphql_error`` only.
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


ANY_OPERATION = "*"
DEFAULT_CODE = "UNKNOWN_ERROR"
VALID_NAMES = tuple(name.value for name in FaultName)
_FIELDS = ("name", "operation", "times", "message", "code")
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

    def matches(self, operation: str) -> bool:
        return self.operation in (ANY_OPERATION, operation)

    def to_json(self) -> dict[str, object]:
        spec: dict[str, object] = {"name": self.name.value, "operation": self.operation}
        spec["times"] = self.times
        if self.name is FaultName.GRAPHQL_ERROR:
            spec["message"] = self.message
            spec["code"] = self.code
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
    if fault_name is not FaultName.GRAPHQL_ERROR and (
        spec.get("message") is not None or spec.get("code") is not None
    ):
        raise InvalidFaultError("'message' and 'code' apply only to graphql_error")
    return FaultSpec(
        name=fault_name,
        operation=_operation(spec.get("operation")),
        times=_times(spec.get("times")),
        message=_message(spec.get("message")),
        code=_code(spec.get("code")),
    )


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
