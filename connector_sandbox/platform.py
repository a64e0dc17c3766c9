"""A stand-in for the OpenCTI platform's connector API: GraphQL over HTTP on 127.0.0.1.

It serves OpenCTI's GraphQL schema for what a connector uses (``platform_schema``), run by
graphql-core: every document is validated, every field's ``@auth`` checked against the
token's capabilities, and the errors are the platform's. It remembers connectors, their
state, works and pushed bundles, and shows them at ``GET /``. Bundles are ingested later, by
a worker thread (``platform_worker``), which reports each expectation on the work; with a
``RabbitBroker`` the ``amqp`` protocol works too: registration hands out the broker and the
worker consumes the connector's queue (``platform_amqp``).

Endpoints::

    POST   /graphql     {"query": ..., "variables": ...} with "Authorization: Bearer <token>"
    GET    /            the connectors and their works, as HTML
    GET    /api/state   the same as JSON (``PlatformStandIn.snapshot()``)
    GET    /_faults     the active faults, each with how many times it fired
    POST   /_faults     replace them: one spec or a list (see ``platform_faults``)
    DELETE /_faults     remove them all

To make the platform unreachable, ``stop()`` it: the port is closed and clients get
"connection refused", as when OpenCTI is down; ``start()`` listens again on the same port
with everything it remembered.

Run it alone with ``python -m connector_sandbox.platform --port 8080 --token <token>``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Self

from connector_sandbox.broker import BrokerError, RabbitBroker
from connector_sandbox.cli import (
    add_shared_arguments,
    parse_shared_arguments,
    serve_until_ctrl_c,
)
from connector_sandbox.platform_amqp import BrokerQueues
from connector_sandbox.platform_auth import Tokens
from connector_sandbox.platform_faults import (
    FaultBook,
    FaultName,
    FaultSpec,
    parse_faults,
)
from connector_sandbox.platform_graphql import RequestContext
from connector_sandbox.platform_http import (
    UNREADABLE,
    Listener,
    Reply,
    RequestObserver,
    answer_graphql,
)
from connector_sandbox.platform_records import MISSING_REFERENCE, UnknownRecordError
from connector_sandbox.platform_schema import PlatformRelease
from connector_sandbox.platform_store import PlatformStore
from connector_sandbox.platform_worker import Worker, WorkerFaults

DEFAULT_PORT = 8080  # where OpenCTI itself listens by default
FaultInput = FaultSpec | Mapping[str, Any]


class PlatformStandIn:
    """The OpenCTI platform stand-in; use it as a context manager.

    ``token`` is the admin's API token (every capability); ``tokens`` maps more tokens to
    the capabilities of their users, e.g. ``{"reader": ["KNOWLEDGE"]}``. ``port=0`` picks a
    free port; ``url`` is what a connector's ``OPENCTI_URL`` should be (pycti appends
    ``/graphql``). ``release`` picks the schema; ``broker`` enables the amqp protocol.
    ``on_request`` is called with each GraphQL operation's name before it runs, in the
    server's thread: it may hold the request, or raise ``DropConnectionError`` to close the
    connection unanswered.
    """

    def __init__(
        self,
        token: str,
        port: int = 0,
        *,
        faults: Sequence[FaultInput] = (),
        tokens: Mapping[str, Iterable[str]] | None = None,
        release: PlatformRelease = PlatformRelease.CURRENT,
        broker: RabbitBroker | None = None,
        on_request: RequestObserver | None = None,
    ) -> None:
        if not token:
            raise ValueError("PlatformStandIn needs a non-empty token")
        self._token = token
        self._tokens = Tokens(token, tokens)
        self._release = release
        self._on_request = on_request
        self._store = PlatformStore()
        self._faults: FaultBook[FaultSpec] = FaultBook(parse_faults(faults))
        self._worker = Worker(self._store, self._worker_faults)
        self._queues = (
            None if broker is None else BrokerQueues(broker, self._store, self._worker)
        )
        self._listener: Listener | None = None
        # Bind now, so that ``url`` is known before start() and stays the same after it.
        self._idle_listener: Listener | None = Listener(self, port)
        self._port = self._idle_listener.port

    @property
    def token(self) -> str:
        return self._token

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def release(self) -> PlatformRelease:
        return self._release

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> Self:
        if self._listener is not None:
            raise RuntimeError(f"the platform stand-in already runs at {self.url}")
        listener = self._idle_listener or Listener(self, self._port)
        self._idle_listener = None
        self._start_ingestion()
        self._listener = listener.start()
        return self

    def stop(self) -> None:
        """Close the port: until start(), connections are refused as by a platform that is down.

        The worker stops too; what it had not ingested yet waits for the next start().
        """
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
        idle, self._idle_listener = self._idle_listener, None
        if idle is not None:
            idle.stop()
        self._stop_ingestion()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (for ``python -m``)."""
        listener = self._idle_listener or Listener(self, self._port)
        self._idle_listener = None
        self._start_ingestion()
        try:
            listener.serve_forever()
        finally:
            self._stop_ingestion()

    def _start_ingestion(self) -> None:
        self._worker.start()
        if self._queues is not None:
            self._queues.start()

    def _stop_ingestion(self) -> None:
        if self._queues is not None:
            self._queues.stop()
        self._worker.stop()

    def settle(self, timeout: float = 10.0, work_ids: Iterable[str] = ()) -> bool:
        """Wait until the worker has ingested everything pushed; False if time ran out.

        On the platform a work completes moments after its last bundle: call this before
        reading a work's final status. ``work_ids`` waits for those works only (a work whose
        expectations can never be met would make the wait for all of them time out).
        """
        wanted = set(work_ids)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            remaining = deadline - time.monotonic()
            if self._worker.wait_idle(remaining) and self._store.all_parts_reported(
                wanted
            ):
                return True
            time.sleep(0.02)
        return False

    def _worker_faults(self) -> WorkerFaults:
        seconds, message = 0.0, None
        for fault in self._faults.take_all(lambda f: f.on_worker):
            if fault.name is FaultName.WORKER_SLOW:
                seconds += fault.seconds or 0.0
            elif message is None:
                message = fault.message or MISSING_REFERENCE
        return WorkerFaults(seconds, message)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # region faults
    def set_faults(self, faults: FaultInput | Sequence[FaultInput]) -> None:
        """Replace the active faults with one spec or a list of them, counts afresh.

        InvalidFaultError says what is wrong with a bad spec.
        """
        self._faults.replace(parse_faults(faults))

    def clear_faults(self) -> None:
        self._faults.replace(())

    def faults(self) -> list[dict[str, object]]:
        return _faults_json(self._faults)

    # endregion

    # region what the platform saw
    def snapshot(self) -> dict[str, Any]:
        """Everything, as plain JSON-ready data: the body of ``GET /api/state``."""
        return {**self._store.snapshot(), "faults": _faults_json(self._faults)}

    def connector(self, connector_id: str) -> dict[str, Any]:
        for connector in self._store.snapshot()["connectors"]:
            if connector["id"] == connector_id:
                return dict(connector)
        raise UnknownRecordError(f"no connector {connector_id!r} registered")

    def state(self, connector_id: str) -> object:
        """The connector's state as the platform last stored it, parsed; None if it has none."""
        raw = self.connector(connector_id)["connector_state"]
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError as err:
            raise ValueError(
                f"connector {connector_id!r} stored a state that is not JSON: {raw[:80]!r}"
            ) from err

    def works(self, connector_id: str) -> list[dict[str, Any]]:
        """The connector's works, oldest first."""
        self.connector(connector_id)
        works = self._store.snapshot()["works"]
        return [work for work in works if work["connector_id"] == connector_id]

    def work(self, work_id: str) -> dict[str, Any]:
        for work in self._store.snapshot()["works"]:
            if work["id"] == work_id:
                return dict(work)
        raise UnknownRecordError(f"no work {work_id!r}")

    def bundles(
        self, connector_id: str | None = None, work_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The bundles pushed (over amqp, each part pycti published), oldest first."""
        return [
            bundle
            for bundle in self._store.snapshot()["bundles"]
            if connector_id in (None, bundle["connector_id"])
            and work_id in (None, bundle["work_id"])
        ]

    def objects(
        self, connector_id: str | None = None, work_id: str | None = None
    ) -> list[Any]:
        """Every STIX object of those bundles, in the order they came."""
        return [
            obj for b in self.bundles(connector_id, work_id) for obj in b["objects"]
        ]

    def operations(self) -> list[str]:
        """The GraphQL operation names received, oldest first (refused ones included)."""
        return [op["operation"] for op in self._store.snapshot()["operations"]]

    # endregion

    # region request handling (called from the server's threads)
    def answer_graphql(
        self, body: bytes, authorization: str | None, work_id: str | None = None
    ) -> Reply:
        context = RequestContext(
            self._store, self._worker, None, self._release, self._queues
        )
        return answer_graphql(
            context,
            self._faults,
            self._tokens,
            body,
            authorization,
            work_id,
            self._on_request,
        )

    def record_bad_request(self, problem: str) -> None:
        self._store.record_operation(UNREADABLE, problem)

    # endregion


def _faults_json(book: FaultBook[FaultSpec]) -> list[dict[str, object]]:
    """The active faults, each with how many times it fired so far."""
    return [{**fault.to_json(), "fired": fired} for fault, fired in book.with_counts()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m connector_sandbox.platform",
        description="Serve the OpenCTI platform stand-in on 127.0.0.1.",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="0 picks a free port"
    )
    parser.add_argument(
        "--token", required=True, help="the API token connectors must send"
    )
    parser.add_argument(
        "--release",
        choices=[release.value for release in PlatformRelease],
        default=PlatformRelease.CURRENT.value,
        help="the OpenCTI release whose schema to serve",
    )
    parser.add_argument(
        "--rabbitmq",
        action="store_true",
        help="start a throw-away RabbitMQ (Debian's rabbitmq-server) for the amqp protocol",
    )
    add_shared_arguments(
        parser, fault_example='{"name": "http_503", "operation": "workAdd", "times": 2}'
    )
    args, faults = parse_shared_arguments(parser, argv)
    with ExitStack() as stack:
        broker = None
        if args.rabbitmq:
            try:
                broker = stack.enter_context(RabbitBroker())
            except BrokerError as err:
                parser.error(str(err))
        try:
            platform = PlatformStandIn(
                token=args.token,
                port=args.port,
                faults=faults,
                release=PlatformRelease(args.release),
                broker=broker,
            )
        except OSError as err:
            parser.error(f"can't listen on 127.0.0.1:{args.port}: {err}")
        except ValueError as err:  # InvalidFaultError included, and an empty --token
            parser.error(str(err))
        print(
            f"platform stand-in ({args.release}) on {platform.url} (OPENCTI_URL; "
            "Ctrl+C stops it)",
            flush=True,
        )
        if broker is not None:
            print(f"RabbitMQ for CONNECTOR_QUEUE_PROTOCOL=amqp on port {broker.port}")
        print(f"connectors and works: {platform.url}/", flush=True)
        exit_code = serve_until_ctrl_c(platform.serve_forever, "platform stand-in")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
