"""What the platform stand-in remembers: connectors, their works and the bundles they pushed.

The rules for a work's figures and status follow OpenCTI's own (``domain/work.js``): a work
is ``progress`` from ``workAdd`` on, and ``complete`` once every expectation it announced
has been reported (for a multi-part work, only after ``workToProcessed`` too). A pushed
bundle is only accepted here: the worker (``platform_worker``) ingests it later and reports
its expectations through ``ingest``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from connector_sandbox.platform_records import (
    Bundle,
    Connector,
    GraphQLError,
    Work,
    invalid_bundle,
    now_iso,
    unsupported,
)

logger = logging.getLogger(__name__)

# The platform keeps at most this many errors per work (domain/work.js does the same).
MAX_WORK_ERRORS = 100
MAX_OPERATION_LOG = 1000


class PlatformStore:
    """The stand-in's memory, one lock around everything; methods raise GraphQLError."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connectors: dict[str, Connector] = {}
        self._works: dict[str, Work] = {}
        self._bundles: list[Bundle] = []
        self._ingested_ids: set[str] = set()
        self._operations: deque[dict[str, str]] = deque(maxlen=MAX_OPERATION_LOG)

    def record_operation(self, operation: str, outcome: str) -> None:
        with self._lock:
            self._operations.append(
                {"at": now_iso(), "operation": operation, "outcome": outcome}
            )

    # region connectors
    def register(
        self, connector_id: str, name: str, connector_type: str, scope: list[str]
    ) -> Connector:
        """Create the connector, or update it and keep its state, as registerConnector does."""
        at = now_iso()
        with self._lock:
            connector = self._connectors.get(connector_id)
            if connector is None:
                connector = Connector(connector_id, name, connector_type, scope, at, at)
                self._connectors[connector_id] = connector
            else:
                connector.name, connector.type, connector.scope = (
                    name,
                    connector_type,
                    scope,
                )
                connector.updated_at = at
                connector.registrations += 1
            return Connector(**asdict(connector))

    def ping(
        self, connector_id: str, state: str | None, info: dict[str, Any] | None
    ) -> Connector:
        at = now_iso()
        with self._lock:
            connector = self._connector(connector_id)
            connector.connector_state = state
            connector.connector_info = info
            connector.pings += 1
            connector.last_ping_at = connector.updated_at = at
            return Connector(**asdict(connector))

    def read_connector(self, connector_id: str) -> Connector | None:
        """The connector, or None for an unknown id: the platform answers null there."""
        with self._lock:
            connector = self._connectors.get(connector_id)
            return None if connector is None else Connector(**asdict(connector))

    def delete_connector(self, connector_id: str) -> None:
        """Forget the connector and its works; what it ingested stays, as on the platform."""
        with self._lock:
            if connector_id not in self._connectors:
                raise GraphQLError(
                    "Already deleted elements",
                    "ALREADY_DELETED_ERROR",
                    http_status=400,
                    genre="BUSINESS",
                    data={"connectorId": connector_id},
                )
            del self._connectors[connector_id]
            for work_id in [w.id for w in self._works.values()]:
                if self._works[work_id].connector_id == connector_id:
                    del self._works[work_id]

    def _connector(self, connector_id: str) -> Connector:
        connector = self._connectors.get(connector_id)
        if connector is None:
            raise GraphQLError(
                "No connector found with the specified ID",
                "FUNCTIONAL_ERROR",
                http_status=400,
                genre="BUSINESS",
                data={"id": connector_id},
            )
        return connector

    # endregion

    # region works
    def add_work(self, connector_id: str, name: str, is_multipart: bool) -> str:
        with self._lock:
            return self._add_work(self._connector(connector_id), name, is_multipart)

    def _add_work(self, connector: Connector, name: str, is_multipart: bool) -> str:
        stamp = datetime.now(UTC)
        work_id = _work_id(connector.id, stamp)
        while work_id in self._works:  # two works in one millisecond
            stamp += timedelta(milliseconds=1)
            work_id = _work_id(connector.id, stamp)
        at = now_iso()
        self._works[work_id] = Work(
            work_id, connector.id, name, is_multipart, at, at, received_time=at
        )
        return work_id

    def to_received(self, work_id: str, message: str | None) -> None:
        at = now_iso()
        with self._lock:
            work = self._live_work(work_id, "workToReceived")
            if work is None:
                return
            work.status, work.received_time, work.updated_at = "progress", at, at
            if message:
                work.messages.append(
                    {"timestamp": at, "message": message, "source": None}
                )

    def to_processed(self, work_id: str, message: str | None, in_error: bool) -> None:
        at = now_iso()
        with self._lock:
            work = self._live_work(work_id, "workToProcessed")
            if work is None:
                return
            work.processed_time = work.updated_at = at
            work.processed_requested = True
            work.in_error = work.in_error or in_error
            work.check_completion(at)
            if message:
                # The platform files an in_error message with the errors, not the messages.
                entries = work.errors if in_error else work.messages
                entries.append({"timestamp": at, "message": message, "source": None})

    def report_expectation(self, work_id: str, error: dict[str, Any] | None) -> None:
        at = now_iso()
        with self._lock:
            work = self._live_work(work_id, "reportExpectation")
            if work is None:
                return
            work.import_processed_number += 1
            work.updated_at = at
            work.check_completion(at)
            if error is not None and len(work.errors) < MAX_WORK_ERRORS:
                work.errors.append(
                    {
                        "timestamp": at,
                        "message": error.get("error"),
                        "source": error.get("source"),
                    }
                )

    def add_expectations(self, work_id: str, expectations: int) -> None:
        with self._lock:
            work = self._live_work(work_id, "addExpectations")
            if work is None:
                return
            work.import_expected_number += expectations
            work.updated_at = now_iso()

    def ping_work(self, work_id: str) -> None:
        with self._lock:
            work = self._works.get(work_id)
            if work is None:
                raise GraphQLError(
                    "Work not found", "RESOURCE_NOT_FOUND", http_status=404
                )
            work.updated_at = now_iso()

    def work_alive(self, work_id: str) -> bool:
        """Whether requests may still be made for the work: it exists and is not complete."""
        with self._lock:
            work = self._works.get(work_id)
            return work is not None and work.status != "complete"

    def read_work(self, work_id: str) -> Work | None:
        with self._lock:
            work = self._works.get(work_id)
            return None if work is None else Work(**asdict(work))

    def _live_work(self, work_id: str, operation: str) -> Work | None:
        # The platform answers these calls for a deleted or unknown work with success and
        # a warning in its own log: do the same, so a connector sees what it would see there.
        work = self._works.get(work_id)
        if work is None:
            logger.warning("%s for unknown work %r: ignored", operation, work_id)
        return work

    # endregion

    def accept_bundle(
        self,
        connector_id: str,
        objects: list[Any],
        bundle_id: object,
        work_id: str | None,
    ) -> str | None:
        """Record a pushed bundle and expect one part per object; the work id it counts for.

        Nothing is ingested yet: the worker does that, part by part, through ``ingest``.
        """
        at = now_iso()
        with self._lock:
            connector = self._connectors.get(connector_id)
            if connector is None:
                raise invalid_bundle(
                    unsupported("Invalid connector", connectorId=connector_id)
                )
            if not work_id:
                # stixBundlePush without a work: the platform opens one itself.
                work_id = self._add_work(
                    connector, f"{connector.name} run @ {at}", False
                )
            self._bundles.append(Bundle(connector_id, work_id, at, bundle_id, objects))
            work = self._live_work(work_id, "StixBundlePush")
            if work is None:
                return None
            work.bundles_received += 1
            work.objects_received += len(objects)
            work.import_expected_number += len(objects)
            work.updated_at = at
            return work_id

    def record_published(
        self,
        connector_id: str,
        work_id: str | None,
        objects: list[Any],
        *,
        first_part: bool,
    ) -> None:
        """Record a part the connector published to its RabbitMQ queue (amqp protocol).

        pycti splits each bundle into parts, one message each: a bundle counts once, at its
        first part, as over HTTP.
        """
        at = now_iso()
        with self._lock:
            self._bundles.append(Bundle(connector_id, work_id, at, None, objects))
            work = None if work_id is None else self._works.get(work_id)
            if work is not None:
                work.bundles_received += int(first_part)
                work.objects_received += len(objects)

    def ingest(
        self,
        work_id: str | None,
        objects: tuple[Any, ...],
        error: dict[str, Any] | None,
    ) -> None:
        """The worker's report for one part: ingested, or refused with ``error``."""
        with self._lock:
            if error is None:
                self._ingested_ids.update(
                    str(obj["id"]) for obj in objects if isinstance(obj, dict)
                )
        if work_id is not None:
            self.report_expectation(work_id, error)

    def all_parts_reported(self, work_ids: set[str]) -> bool:
        """Whether these works (all, if empty) have every expected part reported."""
        with self._lock:
            return all(
                work.import_processed_number >= work.import_expected_number
                for work in self._works.values()
                if not work_ids or work.id in work_ids
            )

    def ingested_ids(self) -> set[str]:
        with self._lock:
            return set(self._ingested_ids)

    def snapshot(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data (a deep copy): what ``GET /api/state`` returns."""
        with self._lock:
            # A JSON round trip: a deep copy that holds exactly what /api/state serves.
            snapshot: dict[str, Any] = json.loads(
                json.dumps(
                    {
                        "connectors": [asdict(c) for c in self._connectors.values()],
                        "works": [asdict(w) for w in self._works.values()],
                        "bundles": [asdict(b) for b in self._bundles],
                        "operations": list(self._operations),
                    }
                )
            )
        return snapshot


def _work_id(connector_id: str, stamp: datetime) -> str:
    # The platform's own shape (generateWorkId): work_<connector id>_<ISO timestamp>.
    iso = stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return f"work_{connector_id}_{iso}"
