"""The fault matrix: each failure the example connector is run against, and what it must do.

A ``Scenario`` says how to inject one fault (demo source and platform fault specs, settings, a
config file, a signal or a platform stop mid-run) and the ``Outcome`` the tests assert: the exit
code, the log records, the work OpenCTI shows, how many IOCs were ingested, what became of the
state, and, where it matters, how many requests reached the demo source. ``tests/reliability/test_fault_matrix.py`` runs every scenario of the
``fault_scenarios`` package as a real process; the "Failure modes" page is generated from the
same scenarios (``site_hooks/failure_modes.py``), so the table says what the tests check.

Expected texts are patterns: ``…`` stands for any text (a port, a timestamp, a traceback), the
rest must match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from connector_sandbox.platform_schema import PlatformRelease

# Every scenario runs against this demo source: 8 IOCs, the same ones each time.
SEED = 5
COUNT = 8
# The IOC most faults hit: a domain without a PDF report.
FAULTY_IOC = "ioc-0003"
# An IOC that has a PDF report, for the faults of the PDF endpoint.
IOC_WITH_PDF = "ioc-0002"
# pycti's OpenCTIApiClient waits this long for an answer (its requests_timeout), and the
# connector helper builds its clients with that default: a connector can't shorten it.
# tests/reliability/test_pycti_timeout.py checks both against the pycti installed.
PYCTI_REQUESTS_TIMEOUT_SECONDS = 300
# Short timeouts and few attempts keep each scenario's run to seconds. DEBUG, the most
# talkative level, gives a secret the most chances to show up in the log.
BASE_SETTINGS = MappingProxyType(
    {
        "IOC_SOURCE_TIMEOUT_SECONDS": "0.5",
        "IOC_SOURCE_MAX_ATTEMPTS": "2",
        "CONNECTOR_LOG_LEVEL": "debug",
    }
)
# Stands for the run's platform token in settings and config files; the test substitutes it.
TOKEN_PLACEHOLDER = "<the platform token>"
# A second token every scenario's platform accepts: its user may read, not register.
READER_TOKEN = "platform-reader-token-RELIABILITY-5e0b"
READER_CAPABILITIES = ("KNOWLEDGE", "MODULES")
API, AMQP = "api", "amqp"
BOTH = (API, AMQP)
ANY = "…"


class Kind(StrEnum):
    """Who fails: the page has one table per kind, in this order."""

    SOURCE = "The data source"
    PLATFORM = "The OpenCTI platform"
    PROCESS = "The process"
    CONFIG = "The configuration"


class Action(StrEnum):
    """Something the test does to the running connector, besides the faults it starts with."""

    NONE = "none"
    SIGTERM = "SIGTERM"
    SIGINT = "SIGINT"
    STOP_PLATFORM = "stop the platform"  # mid-run: connections are refused from then on
    STOP_BROKER = "stop RabbitMQ"  # mid-run, amqp only: the broker's port closes
    PLATFORM_DOWN = "platform down"  # before the start: nothing listens on its port


class Window(StrEnum):
    """What the state saved on the platform says about the next run's window."""

    MOVES = (
        "moves on"  # last_ingested is this run's start: every id was handled for good
    )
    KEPT = "kept"  # last_ingested is not moved: the next run asks for the same ids
    NOT_SAVED = "not saved"  # the platform never received the end-of-run state
    UNTOUCHED = "untouched"  # the connector never reached the platform


@dataclass(frozen=True)
class Record:
    """A log record the connector must write: level, message, and some of its attributes.

    A ``str`` attribute is a pattern (see ``text_matches``); other values must be equal.
    """

    level: str
    message: str
    attributes: Mapping[str, object] = field(default_factory=dict)
    count: int = 1


@dataclass(frozen=True)
class WorkShown:
    """The run's work as OpenCTI shows it once the process has ended."""

    status: str  # "complete", or "progress" for a work the connector could not close
    in_error: bool
    messages: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    bundles: int = 0


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    # Every WARNING and ERROR record, in order; INFO and DEBUG ones listed here must be there.
    records: tuple[Record, ...]
    work: WorkShown | None  # None: no work was opened
    ingested: int  # IOCs whose Indicator reached the platform in this run
    window: Window
    # The line that starts with "example-connector:" when start-up fails.
    startup_error: str | None = None
    # Whether a Python traceback is printed outside the JSON log records.
    traceback: bool = False
    # How many requests the demo source received for these paths (0: never asked), e.g.
    # {"/iocs/ioc-0003": 1} for a request that must not be retried.
    source_requests: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """One row of the matrix."""

    name: str
    kind: Kind
    fault: str  # what goes wrong, in words
    does: str  # what the connector does about it, in words
    outcome: Outcome
    source_faults: tuple[Mapping[str, object], ...] = ()
    platform_faults: tuple[Mapping[str, object], ...] = ()
    # Settings on top of BASE_SETTINGS; None removes the variable from the environment.
    settings: Mapping[str, str | None] = field(default_factory=dict)
    config_file: str | None = None  # config.yml in the connector's working directory
    action: Action = Action.NONE
    action_after: str = "IOCs to process"  # the log message that triggers the action
    # Transient: once the fault is gone, a rerun ingests every IOC the first run did not.
    rerun: bool = False
    # The queue protocols the scenario runs with; the outcome is the same in each.
    protocols: tuple[str, ...] = (API,)
    release: PlatformRelease = PlatformRelease.CURRENT

    @property
    def platform_delay(self) -> float:
        """The seconds the platform's latency faults add, at most, to one run."""
        return sum(
            float(str(fault.get("seconds", 0)))
            for fault in self.platform_faults
            if fault.get("name") == "latency"
        )

    @property
    def outlasts_pycti_timeout(self) -> bool:
        """Whether a latency fault keeps an answer past pycti's request timeout."""
        return any(
            float(str(fault.get("seconds", 0))) > PYCTI_REQUESTS_TIMEOUT_SECONDS
            for fault in self.platform_faults
            if fault.get("name") == "latency"
        )

    def __post_init__(self) -> None:
        unknown = set(self.protocols) - {API, AMQP}
        if not self.protocols or unknown:
            raise ValueError(f"{self.name}: protocols must be among api, amqp")
        if self.action is Action.STOP_BROKER and self.protocols != (AMQP,):
            raise ValueError(f"{self.name}: stopping RabbitMQ needs the amqp protocol")


def text_matches(pattern: str, text: str) -> bool:
    """Whether ``text`` is ``pattern``, where each ``…`` stands for any text."""
    return _compiled(pattern).fullmatch(text) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(map(re.escape, pattern.split(ANY))), re.DOTALL)
