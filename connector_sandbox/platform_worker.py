"""The platform's worker: it ingests pushed bundles later, in a thread, as OpenCTI's does.

On OpenCTI a bundle a connector sends is only queued: a worker process consumes the queue,
imports each part and reports one expectation per part on the work (with an error when the
import failed). A work is complete when every expectation it announced has been reported.
This module does that for the stand-in: parts come from ``stixBundlePush`` (``api``
protocol, one part per object, expectations added when the bundle is accepted) or from
the connector's RabbitMQ queue (``amqp``, one part per message, expectations added by the
connector with ``addExpectations`` before it publishes).

What the worker refuses is what OpenCTI's import refuses at the level a connector can get
wrong: an object without a ``type`` or a ``<type>--<UUID>`` id, or a relationship whose
ends are neither on the platform nor in the part. Faults make it slow or make it fail an object.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connector_sandbox.background import BackgroundLoop
from connector_sandbox.platform_records import MISSING_REFERENCE
from connector_sandbox.platform_store import PlatformStore

logger = logging.getLogger(__name__)

STIX_ID = re.compile(
    r"[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
SOURCE = "WORKER"
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Part:
    """One unit of the worker's queue: the objects of one part and the work it counts for."""

    work_id: str | None
    objects: tuple[Any, ...]


@dataclass(frozen=True)
class WorkerFaults:
    """How the worker misbehaves now: seconds per part, and an error for some objects."""

    seconds_per_part: float = 0.0
    error_message: str | None = None  # set: the part fails with it


def import_error(obj: object, faults: WorkerFaults) -> str | None:
    """Why the platform would refuse this object; None when it imports."""
    if not isinstance(obj, dict):
        return f"Invalid object: expected a JSON object, got {type(obj).__name__}"
    stix_type, stix_id = obj.get("type"), obj.get("id")
    if not isinstance(stix_type, str) or not stix_type:
        return "Invalid object: missing type"
    if not isinstance(stix_id, str) or not STIX_ID.fullmatch(stix_id):
        return f"Invalid object: {stix_type} has no valid STIX id"
    if not stix_id.startswith(f"{stix_type}--"):
        return f"Invalid object: the id of a {stix_type} must start with {stix_type}--"
    if faults.error_message is not None:
        return faults.error_message
    return None


@dataclass(frozen=True)
class QueueMessage:
    """What the worker reads of a message pycti published."""

    work_id: str | None
    objects: list[Any]
    # pycti numbers the parts of one send_stix2_bundle call from 1.
    sequence: int


def decode_message(body: bytes) -> QueueMessage:
    """The work id, objects and part number of a message; ValueError says what is wrong."""
    try:
        message = json.loads(body)
        content = base64.b64decode(message["content"], validate=True)
        bundle = json.loads(content)
    except (ValueError, KeyError, TypeError, binascii.Error) as err:
        raise ValueError(
            f"unreadable queue message: {type(err).__name__}: {err}"
        ) from err
    if not isinstance(bundle, dict) or not isinstance(bundle.get("objects"), list):
        raise ValueError(  # noqa: TRY004  (a bad message, not a bad argument)
            "unreadable queue message: its content is not a STIX bundle"
        )
    work_id = message.get("work_id")
    sequence = message.get("action_sequence")
    return QueueMessage(
        work_id if isinstance(work_id, str) else None,
        bundle["objects"],
        sequence if isinstance(sequence, int) else 0,
    )


class Worker:
    """One thread that ingests parts in order; ``wait_idle()`` waits for it to catch up."""

    def __init__(
        self,
        store: PlatformStore,
        faults_for_part: Callable[[], WorkerFaults] = WorkerFaults,
    ) -> None:
        self._store = store
        self._faults_for_part = faults_for_part
        self._queue: queue.Queue[Part] = queue.Queue()
        self._busy = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._loop = BackgroundLoop(self._run, "opencti-worker-stand-in")
        self._stopping = self._loop.stopping
        self.start = self._loop.start
        self.stop = self._loop.stop

    def put(self, part: Part) -> None:
        with self._lock:
            self._busy += 1
        self._queue.put(part)

    def ingest_now(self, part: Part) -> None:
        """Ingest one part in the calling thread (the amqp consumer's): same rules."""
        with self._lock:
            self._busy += 1
        self._ingest(part)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued part is ingested; False if the time ran out first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(queue.Empty):
                self._ingest(self._queue.get(timeout=POLL_SECONDS))

    def _ingest(self, part: Part) -> None:
        try:
            self._ingest_part(part)
        except Exception:
            # A bug of the stand-in's: say so, and let the part count, as a worker would.
            logger.exception(  # connector-lint: ignore[OCE005] the worker thread's top
                "The worker stand-in failed on a part"
            )
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def _ingest_part(self, part: Part) -> None:
        faults = self._faults_for_part()
        if faults.seconds_per_part:
            self._stopping.wait(faults.seconds_per_part)
        # A reference resolves to what is already on the platform or in the same part.
        known = self._store.ingested_ids() | {
            obj.get("id") for obj in part.objects if isinstance(obj, dict)
        }
        failures = [
            (obj, reason)
            for obj in part.objects
            if (reason := import_error(obj, faults) or _missing_reference(obj, known))
        ]
        # One part, one expectation: an error for the first object that failed, as the
        # worker reports the exception that stopped the part's import.
        error = None
        if failures:
            obj, reason = failures[0]
            error = {"error": reason, "source": _source_of(obj)}
        self._store.ingest(part.work_id, part.objects, error)


def _missing_reference(obj: object, known: set[Any]) -> str | None:
    if not isinstance(obj, dict) or obj.get("type") != "relationship":
        return None
    for end in ("source_ref", "target_ref"):
        ref = obj.get(end)
        if isinstance(ref, str) and ref not in known:
            return f"{MISSING_REFERENCE}: {end} {ref}"
    return None


def _source_of(obj: object) -> str:
    # OpenCTI's worker names the element that failed.
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        return str(obj["id"])[:200]
    return SOURCE
