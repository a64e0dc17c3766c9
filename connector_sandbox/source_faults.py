"""Fault specs for the demo source: what goes wrong, on which endpoint, for which ids.

A spec is written the same way in Python and in ``POST /_faults`` JSON::

    {"name": "http_503", "endpoint": "ioc", "id": "ioc-0003", "times": 2}
    {"name": "http_500", "endpoint": "ioc", "rate": 0.25}
    {"name": "slow", "endpoint": "ids", "seconds": 2}

``id`` picks one id; ``rate`` picks that fraction of ids (the same ones for the same seed;
for ``ids`` the key is the request's query string); with neither, every request is hit.
``times`` is how many times the fault fires for each picked key before requests for it
succeed, e.g. 503 twice then OK; without it, it fires every time. The first active fault
that matches a request wins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from connector_sandbox.faults import (
    FaultBook,
    InvalidFaultError,
    number,
    parse_specs,
    spec_mapping,
)

__all__ = ["Endpoint", "FaultBook", "FaultName", "FaultSpec", "InvalidFaultError"]


class FaultName(StrEnum):
    """Every fault the demo source can inject; the values are the names used in JSON."""

    HTTP_401 = "http_401"
    HTTP_403 = "http_403"
    HTTP_404 = "http_404"
    HTTP_429 = "http_429"  # with Retry-After: <seconds>
    HTTP_500 = "http_500"
    HTTP_503 = "http_503"
    SLOW = "slow"  # waits <seconds> before answering
    TRICKLE = "trickle"  # sends the body a few bytes at a time, <seconds> apart
    MALFORMED_JSON = "malformed_json"  # 200 with the JSON cut in half
    HTML_200 = "html_200"  # 200 with an HTML error page
    EMPTY_200 = "empty_200"  # 200 with an empty body
    WRONG_SHAPE = "wrong_shape"  # 200 JSON of the wrong shape or field types
    UNKNOWN_TYPE = "unknown_type"  # an IOC of type "url"
    EXTRA_FIELDS = "extra_fields"  # an IOC with fields the API never documented
    MISSING_RECOMMENDED = "missing_recommended"  # an IOC without created_at
    OVERSIZED = "oversized"  # the real answer padded to OVERSIZED_BYTES
    RESET = "reset"  # closes the connection halfway through the body
    # A hostile source, at the wire level (see source_wire):
    TRICKLE_HEADERS = "trickle_headers"  # status line and headers, bytes at a time
    TRICKLE_CHUNKED = "trickle_chunked"  # chunk-size lines a byte at a time
    ENDLESS_TRAILERS = "endless_trailers"  # a chunked body, endless trailers
    REDIRECT_AWAY = "redirect_away"  # a 302 to another origin (OtherOrigin)
    REDIRECT_TRICKLE = "redirect_trickle"  # a 302 to itself, its body trickling
    ODD_RETRY_AFTER = "odd_retry_after"  # a 429 with Retry-After: superscript 2
    ODD_CONTENT_LENGTH = "odd_content_length"  # Content-Length: superscript 2
    GZIP_BOMB = "gzip_bomb"  # a small gzip body that expands to GZIP_BOMB_BYTES
    ODD_IDS = "odd_ids"  # ids ".", "..", "a/b", 10,000 chars...
    HUGE_TYPE = "huge_type"  # an IOC type of 500,000 characters


class Endpoint(StrEnum):
    """The kinds of request a fault applies to."""

    IDS = "ids"  # GET /iocs?start=&end=
    IOC = "ioc"  # GET /iocs/{id}
    PDF = "pdf"  # GET /pdf/{id}


# Faults that only make sense where the body is JSON, or where it is one IOC record.
_JSON_ONLY = {FaultName.MALFORMED_JSON, FaultName.WRONG_SHAPE}
_IOC_ONLY = {
    FaultName.UNKNOWN_TYPE,
    FaultName.EXTRA_FIELDS,
    FaultName.MISSING_RECOMMENDED,
    FaultName.HUGE_TYPE,
}
_IDS_ONLY = {FaultName.ODD_IDS}
# The wire faults' pause: each piece comes well within any read timeout, the whole never
# within a deadline of a few timeouts.
_WIRE_PAUSE = 0.5
_DEFAULT_SECONDS: dict[FaultName, float] = {
    FaultName.SLOW: 3.0,
    FaultName.TRICKLE: 0.05,
    FaultName.HTTP_429: 1.0,
    FaultName.TRICKLE_HEADERS: _WIRE_PAUSE,
    FaultName.TRICKLE_CHUNKED: _WIRE_PAUSE,
    FaultName.ENDLESS_TRAILERS: _WIRE_PAUSE,
    FaultName.REDIRECT_TRICKLE: _WIRE_PAUSE,
}
_FIELDS = ("name", "endpoint", "id", "rate", "times", "seconds")

_E = TypeVar("_E", bound=StrEnum)

VALID_NAMES = tuple(name.value for name in FaultName)
VALID_ENDPOINTS = tuple(endpoint.value for endpoint in Endpoint)


def invalid(problem: str) -> InvalidFaultError:
    # The source's errors list its fault names: a typo in a name is the common mistake.
    return InvalidFaultError(problem, VALID_NAMES)


def allowed_endpoints(name: FaultName) -> tuple[Endpoint, ...]:
    if name in _IOC_ONLY:
        return (Endpoint.IOC,)
    if name in _IDS_ONLY:
        return (Endpoint.IDS,)
    if name in _JSON_ONLY:
        return (Endpoint.IDS, Endpoint.IOC)
    return tuple(Endpoint)


@dataclass(frozen=True)
class FaultSpec:
    """One fault; invalid combinations raise InvalidFaultError, as ``POST /_faults`` does.

    ``seconds`` is the wait of ``slow``, the pause between chunks of ``trickle`` and of
    the wire faults that trickle (``trickle_headers``, ``trickle_chunked``,
    ``endless_trailers``, ``redirect_trickle``), and the Retry-After of ``http_429``;
    left out, ``delay`` gives a small default.
    """

    name: FaultName
    endpoint: Endpoint
    id: str | None = None
    rate: float | None = None
    times: int | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        # Plain strings work too, e.g. FaultSpec("http_503", "ioc"); the checks need enums.
        object.__setattr__(self, "name", _choice(vars(self), "name", FaultName))
        object.__setattr__(self, "endpoint", _choice(vars(self), "endpoint", Endpoint))
        if self.endpoint not in allowed_endpoints(self.name):
            allowed = [str(item) for item in allowed_endpoints(self.name)]
            raise invalid(
                f"{self.name} applies only to endpoint(s) {allowed}, not {str(self.endpoint)!r}"
            )
        if self.id is not None:
            self._check_id(self.id)
        if self.rate is not None and not 0.0 <= self.rate <= 1.0:
            raise invalid(f"'rate' must be from 0 to 1, got {self.rate!r}")
        if self.times is not None and self.times < 1:
            raise invalid(f"'times' must be at least 1, got {self.times!r}")
        if self.seconds is not None:
            self._check_seconds(self.seconds)

    @property
    def delay(self) -> float:
        """``seconds``, or the default of this fault: 0 for faults that don't wait."""
        if self.seconds is not None:
            return self.seconds
        return _DEFAULT_SECONDS.get(self.name, 0.0)

    def selects(self, seed: int, key: str) -> bool:
        """Whether this fault hits ``key`` (an IOC id, or the query of an id list)."""
        if self.id is not None:
            return key == self.id
        if self.rate is None:
            return True
        # A hash, not random(): the same seed hits the same ids in every run and process.
        digest = hashlib.sha256(f"{seed}|{self.name}|{self.endpoint}|{key}".encode())
        return int.from_bytes(digest.digest()[:8]) / 2**64 < self.rate

    def to_json(self) -> dict[str, object]:
        spec: dict[str, object] = {
            "name": str(self.name),
            "endpoint": str(self.endpoint),
        }
        for field in ("id", "rate", "times", "seconds"):
            if getattr(self, field) is not None:
                spec[field] = getattr(self, field)
        return spec

    def _check_id(self, ioc_id: str) -> None:
        if self.endpoint is Endpoint.IDS:
            raise invalid("'id' can't target the id list (endpoint 'ids'); use 'rate'")
        if self.rate is not None:
            raise invalid("give 'id' or 'rate', not both")
        if not ioc_id:
            raise invalid("'id' must not be empty")

    def _check_seconds(self, seconds: float) -> None:
        if self.name not in _DEFAULT_SECONDS:
            waiting = [str(name) for name in _DEFAULT_SECONDS]
            raise invalid(
                f"'seconds' applies only to {waiting}, not {str(self.name)!r}"
            )
        if seconds <= 0:
            raise invalid(f"'seconds' must be above 0, got {seconds!r}")
        # Retry-After carries whole seconds only.
        if self.name is FaultName.HTTP_429 and seconds != int(seconds):
            raise invalid(f"'seconds' of http_429 is whole seconds, got {seconds!r}")


def parse_faults(specs: object) -> list[FaultSpec]:
    """Read one JSON-like spec or a list of them; InvalidFaultError says which one is bad."""
    try:
        return parse_specs(specs, parse_fault, FaultSpec)
    except InvalidFaultError as err:
        if err.valid_names:
            raise
        raise invalid(err.problem) from err


def parse_fault(spec: object) -> FaultSpec:
    """Read one spec: a ``FaultSpec`` as it is, a mapping as the JSON form."""
    if isinstance(spec, FaultSpec):
        return spec
    try:
        spec = spec_mapping(spec, _FIELDS)
    except InvalidFaultError as err:
        raise invalid(err.problem) from err
    ioc_id = spec.get("id")
    if ioc_id is not None and not isinstance(ioc_id, str):
        raise invalid(f"'id' must be a string, got {ioc_id!r}")
    times = spec.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool)):
        raise invalid(f"'times' must be a whole number, got {times!r}")
    return FaultSpec(
        name=_choice(spec, "name", FaultName),
        endpoint=_choice(spec, "endpoint", Endpoint),
        id=ioc_id,
        rate=_number(spec, "rate"),
        times=times,
        seconds=_number(spec, "seconds"),
    )


def _choice(spec: Mapping[str, object], field: str, kind: type[_E]) -> _E:
    valid = [str(item) for item in kind]
    # InvalidFaultError lists the fault names already.
    listed = "" if kind is FaultName else f"; valid: {valid}"
    value = spec.get(field)
    if value is None:
        raise invalid(f"{field!r} is required{listed}")
    if value not in valid:
        raise invalid(f"unknown {field} {value!r}{listed}")
    return kind(value)


def _number(spec: Mapping[str, object], field: str) -> float | None:
    try:
        return number(spec, field)
    except InvalidFaultError as err:
        raise invalid(err.problem) from err
