"""Run a connector command once per scenario against the platform stand-in, and record it all.

The connector is a process connector-check knows nothing about: it gets the caller's
environment plus what pycti reads (``PLATFORM_SETTINGS``), and everything it prints is kept
(bounded). What it did on the platform is read from the stand-in once it has exited.

Mid-run events are deterministic: when the connector, having opened its work, next calls the
platform, the stand-in holds that call until the signal has been sent (or drops it and goes
down), so the event always lands while the connector waits on the platform.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Self

from connector_check.scenarios import (
    BUNDLE_OPERATION,
    READER_CAPABILITIES,
    SIGNALS,
    Midrun,
    Scenario,
    Token,
)
from connector_sandbox.broker import BrokerError, RabbitBroker
from connector_sandbox.connector_run import parse_output
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.platform_http import DropConnectionError
from connector_sandbox.platform_records import UnknownRecordError

# Bounds on what a connector may make connector-check keep: lines are read whole (a record
# with a traceback is long), parsed and searched for the token, then kept clipped.
MAX_LINES = 5_000
MAX_LINE_CHARS = 2_000
MAX_PARSED_CHARS = 1_000_000
# How long the platform's worker may take to ingest what a run pushed.
SETTLE_SECONDS = 10.0
# The variables connector-check sets; the caller's values of these are replaced.
PLATFORM_SETTINGS = (
    "OPENCTI_URL",
    "OPENCTI_TOKEN",
    "CONNECTOR_ID",
    "CONNECTOR_QUEUE_PROTOCOL",
    "CONNECTOR_RUN_AND_TERMINATE",
    "CONNECTOR_LOG_LEVEL",
)


class CheckError(Exception):
    """connector-check could not run the checks at all; the message says why (exit 2)."""


@dataclass(frozen=True)
class ProcessRun:
    """One run of the command: how it ended and what it printed."""

    # As a shell reports it: 128 + N when signal N ended the process. None: it did not end
    # within the timeout and was killed.
    exit_code: int | None
    killed_by: (
        str | None
    )  # the signal that ended it without letting it exit, e.g. SIGTERM
    records: list[dict[str, Any]]  # pycti's JSON log records, long values clipped
    lines: list[str]  # what it printed, records included, in order, each line clipped
    dropped_lines: int  # lines past MAX_LINES, not kept (still searched for the token)
    token_line: int | None  # the number of the first line holding the token
    seconds: float


@dataclass(frozen=True)
class Observed:
    """What a scenario showed: the run, the platform after it, and the mid-run event."""

    scenario: Scenario
    token: str  # the token the connector was given
    run: ProcessRun
    registered: bool
    works: list[dict[str, Any]]  # the connector's works once the worker has caught up
    state: object  # the connector's state as the platform stored it; None if none
    pushed: str  # every object the connector pushed, as JSON text
    midrun_operation: str | None  # the call the mid-run event landed on; None: never
    rerun: ProcessRun | None = None
    works_after_rerun: list[dict[str, Any]] = field(default_factory=list)


class _Midrun:
    """Fires the scenario's mid-run event on the first call after the work was opened."""

    def __init__(self, checker: ConnectorChecker, scenario: Scenario, cid: str) -> None:
        self._checker = checker
        self._midrun = scenario.midrun
        self._connector_id = cid
        self._lock = threading.Lock()
        self.process: subprocess.Popen[str] | None = None
        self.operation: str | None = None
        self.gone = False

    def on_request(self, operation: str) -> None:
        """Called in the stand-in's thread before each call runs; the call waits for it."""
        with self._lock:
            if self.gone:
                raise DropConnectionError(operation)
            if self._midrun is Midrun.NONE or self.operation is not None:
                return
            if self.process is None or not self._checker.has_work(self._connector_id):
                return
            gone = self._midrun is Midrun.PLATFORM_GONE
            # The platform goes down when the connector has data in flight: when it sends
            # its first bundle. A signal lands on whatever call comes first.
            if gone and operation != self._checker.bundle_operation:
                return
            self.operation = operation
            if gone:
                self.gone = True
                # stop() waits for the server's loop, which this request's thread is not.
                threading.Thread(target=self._checker.platform.stop).start()
                raise DropConnectionError(operation)
            self.process.send_signal(SIGNALS[self._midrun])


class ConnectorChecker:
    """The stand-in (and RabbitMQ for amqp) the scenarios share; use it as a context manager.

    ``command`` is the connector to start, ``env`` the variables to add to the caller's
    (e.g. its own source's settings), ``timeout`` the seconds one run may take.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        protocol: str = "api",
        timeout: float = 60.0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if not command:
            raise CheckError("give the connector's command after --")
        self.command = list(command)
        self.protocol = protocol
        self.timeout = timeout
        self.extra_env = dict(env or {})
        self.bundle_operation = BUNDLE_OPERATION[protocol]
        self.admin_token = secrets.token_hex(16)
        self.reader_token = secrets.token_hex(16)
        self.unknown_token = secrets.token_hex(16)
        self._stack = ExitStack()
        self._midrun: _Midrun | None = None
        self._platform: PlatformStandIn | None = None

    @property
    def platform(self) -> PlatformStandIn:
        if self._platform is None:
            raise RuntimeError("use ConnectorChecker as a context manager")
        return self._platform

    def __enter__(self) -> Self:
        with ExitStack() as stack:
            broker = None
            if self.protocol == "amqp":
                try:
                    broker = stack.enter_context(RabbitBroker())
                except BrokerError as err:
                    raise CheckError(
                        f"the amqp protocol needs RabbitMQ: {err}"
                    ) from err
            self._platform = PlatformStandIn(
                self.admin_token,
                tokens={self.reader_token: READER_CAPABILITIES},
                broker=broker,
                on_request=self._on_request,
            )
            stack.enter_context(self._platform)
            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _on_request(self, operation: str) -> None:
        midrun = self._midrun
        if midrun is not None:
            midrun.on_request(operation)

    def has_work(self, connector_id: str) -> bool:
        works = self.platform.snapshot()["works"]
        return any(work["connector_id"] == connector_id for work in works)

    def token_for(self, scenario: Scenario) -> str:
        return {
            Token.ADMIN: self.admin_token,
            Token.READER: self.reader_token,
            Token.UNKNOWN: self.unknown_token,
        }[scenario.token]

    def environment(self, token: str, connector_id: str) -> dict[str, str]:
        inherited = {
            name: value
            for name, value in os.environ.items()
            if name not in PLATFORM_SETTINGS
        }
        return {
            **inherited,
            **self.extra_env,
            "OPENCTI_URL": self.platform.url,
            "OPENCTI_TOKEN": token,
            "CONNECTOR_ID": connector_id,
            "CONNECTOR_QUEUE_PROTOCOL": self.protocol,
            "CONNECTOR_RUN_AND_TERMINATE": "true",
            # INFO: pycti writes its JSON records for every level that matters here.
            "CONNECTOR_LOG_LEVEL": "info",
        }

    def observe(self, scenario: Scenario) -> Observed:
        """Run the scenario; CheckError if the command can't be started."""
        platform = self.platform
        platform.set_faults(scenario.platform_faults(self.protocol))
        connector_id = str(uuid.uuid4())
        token = self.token_for(scenario)
        midrun = self._midrun = _Midrun(self, scenario, connector_id)
        try:
            run = self._run(self.environment(token, connector_id), token, midrun)
        finally:
            self._midrun = None
            if not platform.running:
                platform.start()
            platform.clear_faults()
        observed = self._read_platform(scenario, token, connector_id, run, midrun)
        if not scenario.rerun:
            return observed
        rerun = self._run(self.environment(token, connector_id), token, None)
        platform.settle(SETTLE_SECONDS, [w["id"] for w in self._works(connector_id)])
        return replace(
            observed, rerun=rerun, works_after_rerun=self._works(connector_id)
        )

    def _run(
        self, env: dict[str, str], token: str, midrun: _Midrun | None
    ) -> ProcessRun:
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                self.command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
        except OSError as err:
            raise CheckError(
                f"can't start {self.command[0]!r}: {err.strerror or err}"
            ) from err
        if midrun is not None:
            midrun.process = process
        reader = _Reader(process, token)
        reader.start()
        try:
            returncode: int | None = process.wait(self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            returncode = None
        reader.join()
        killed_by = None
        if returncode is not None and returncode < 0:
            killed_by = signal.Signals(-returncode).name
            returncode = 128 - returncode
        return ProcessRun(
            returncode,
            killed_by,
            reader.records,
            reader.lines,
            reader.dropped,
            reader.token_line,
            time.monotonic() - started,
        )

    def _works(self, connector_id: str) -> list[dict[str, Any]]:
        return [
            work
            for work in self.platform.snapshot()["works"]
            if work["connector_id"] == connector_id
        ]

    def _read_platform(
        self,
        scenario: Scenario,
        token: str,
        connector_id: str,
        run: ProcessRun,
        midrun: _Midrun,
    ) -> Observed:
        platform = self.platform
        work_ids = [work["id"] for work in self._works(connector_id)]
        platform.settle(SETTLE_SECONDS, work_ids)
        try:
            connector = platform.connector(connector_id)
        except UnknownRecordError:
            return Observed(scenario, token, run, False, [], None, "", None)
        return Observed(
            scenario,
            token,
            run,
            True,
            self._works(connector_id),
            _parsed_state(connector["connector_state"]),
            json.dumps(platform.objects(connector_id)),
            midrun.operation,
        )


class _Reader(threading.Thread):
    """Reads the process's output: its records, its first MAX_LINES lines, where the token is."""

    def __init__(self, process: subprocess.Popen[str], token: str) -> None:
        super().__init__(name="connector-output", daemon=True)
        self._process = process
        self._token = token
        self.lines: list[str] = []
        self.records: list[dict[str, Any]] = []
        self.dropped = 0
        self.token_line: int | None = None

    def run(self) -> None:
        stream = self._process.stdout
        if stream is None:
            return
        for number, line in enumerate(stream, start=1):
            if self.token_line is None and self._token in line:
                self.token_line = number
            if len(self.lines) >= MAX_LINES:
                self.dropped += 1
                continue
            text = line.rstrip("\n")
            self.lines.append(_clipped(text))
            if len(text) <= MAX_PARSED_CHARS:
                record = parse_output(0, text).records
                self.records += [_clipped_values(r) for r in record]


def _clipped(text: str) -> str:
    if len(text) <= MAX_LINE_CHARS:
        return text
    return f"{text[:MAX_LINE_CHARS]}… ({len(text) - MAX_LINE_CHARS} more characters)"


def _tail(text: str) -> str:
    """A traceback's end, where the exception is, within the bound."""
    if len(text) <= MAX_LINE_CHARS:
        return text
    return f"({len(text) - MAX_LINE_CHARS} characters before) …{text[-MAX_LINE_CHARS:]}"


def _clipped_values(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (_tail if key == "exc_info" else _clipped)(value)
        if isinstance(value, str)
        else value
        for key, value in record.items()
    }


def _parsed_state(raw: str | None) -> object:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw
