"""The records of the platform stand-in (connectors, works, bundles) and its GraphQL error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


class GraphQLError(Exception):
    """An error the platform answers as a GraphQL error: HTTP 200 with ``{"errors": [...]}``.

    ``code`` and ``data`` go into ``extensions`` the way OpenCTI puts them, and ``code`` is
    also the top-level ``name``, so pycti's ``ValueError`` carries what a real platform gives.
    """

    def __init__(
        self,
        message: str,
        code: str,
        *,
        http_status: int = 500,
        genre: str = "TECHNICAL",
        data: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.data: dict[str, object] = {
            "http_status": http_status,
            "genre": genre,
            **(data or {}),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "message": self.message,
            "name": self.code,
            "extensions": {"code": self.code, "data": self.data},
        }


class UnknownRecordError(LookupError):
    """Raised by the Python accessors for a connector or work id the stand-in never saw."""


def invalid_bundle(cause: GraphQLError | None) -> GraphQLError:
    """What stixBundlePush answers for any failure: "Invalid bundle", the error as its cause.

    The platform wraps whatever went wrong (``domain/stix.js``: ``sendStixBundle``); a
    JSON syntax error serialises to an empty cause there, so ``None`` gives ``{}``.
    """
    return GraphQLError(
        "Invalid bundle",
        "UNSUPPORTED_ERROR",
        genre="BUSINESS",
        data={"cause": {} if cause is None else cause.to_json()},
    )


def unsupported(reason: str, **data: object) -> GraphQLError:
    # JSON drops a key whose value is undefined: a None is left out here alike.
    given = {key: value for key, value in data.items() if value is not None}
    return GraphQLError(reason, "UNSUPPORTED_ERROR", genre="BUSINESS", data=given)


# region the platform's own errors (config/errors), as it words them
# MissingReferenceError: what a worker reports most often, for a reference it can't resolve.
MISSING_REFERENCE = "Element(s) not found"


def auth_required() -> GraphQLError:
    return GraphQLError(
        "You must be logged in to do this.", "AUTH_REQUIRED", http_status=401
    )


def forbidden_access() -> GraphQLError:
    return GraphQLError(
        "You are not allowed to do this.", "FORBIDDEN_ACCESS", http_status=403
    )


def lock_error() -> GraphQLError:
    return GraphQLError(
        "Execution timeout, too many concurrent call on the same entities",
        "LOCK_ERROR",
        http_status=500,
        genre="BUSINESS",
    )


def work_not_alive() -> GraphQLError:
    # Raised while the request's context is built (from its opencti-work-id header), before
    # GraphQL runs: Apollo answers it with HTTP 500, not 200.
    return GraphQLError(
        "Work is no longer alive, no request can be done within the context of this work",
        "WORK_NOT_ALIVE",
        http_status=400,
        genre="BUSINESS",
    )


# endregion


def now_iso() -> str:
    """The time as OpenCTI writes it: UTC, milliseconds, ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Connector:
    """A registered connector, with the state and info its last PingConnector carried."""

    id: str
    name: str
    type: str
    scope: list[str]
    created_at: str
    updated_at: str
    connector_state: str | None = None  # the JSON string pycti sent, kept as it came
    connector_info: dict[str, Any] | None = None
    registrations: int = 1
    pings: int = 0
    last_ping_at: str | None = None


@dataclass
class Work:
    """One run of a connector, with the figures OpenCTI keeps for it (see ``domain/work.js``)."""

    id: str
    connector_id: str
    name: str
    is_multipart: bool
    timestamp: str
    updated_at: str
    status: str = "progress"
    received_time: str | None = None
    processed_time: str | None = None
    completed_time: str | None = None
    import_expected_number: int = 0
    import_processed_number: int = 0
    completed_number: int = 0
    # A multi-part work completes only once workToProcessed came and every object is in.
    processed_requested: bool = False
    in_error: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    bundles_received: int = 0
    objects_received: int = 0

    def check_completion(self, at: str) -> None:
        finished = self.import_processed_number >= self.import_expected_number
        if finished and (not self.is_multipart or self.processed_requested):
            self.status = "complete"
            self.completed_number = self.import_processed_number
            self.completed_time = at


@dataclass
class Bundle:
    """A bundle a connector pushed with StixBundlePush, its objects as they came."""

    connector_id: str
    work_id: str | None
    received_at: str
    bundle_id: object
    objects: list[Any]
