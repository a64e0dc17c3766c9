"""The fault matrix: every scenario of ``connector_sandbox.fault_scenarios``, run for real.

Each scenario checks its own outcome (exit code, log records, the work, the IOCs ingested, the
state), then the same invariants, whatever the fault:

- accounting: every id ``get_ids`` returned is ingested, skipped with one WARNING, or counted
  as "not processed" by a run that stopped; the work's closing message adds up;
- the window never moves past an id that may succeed later;
- no work is left "in progress", unless the platform was unreachable and the connector said so;
- no secret appears in any log line, traceback, stand-in record or bundle;
- no record is longer than ``MAX_RECORD_BYTES`` (its traceback apart), whatever the source
  sent, and no other line than ``MAX_LINE_BYTES``;
- no request reaches another origin than the source's (``DemoSource.other_origin``);
- no answer of the id list holds more ids than IOC_SOURCE_MAX_IDS_PER_REQUEST;
- for a transient fault, the next run, once the fault is gone, ingests every IOC.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from connector_sandbox import fault_scenarios
from connector_sandbox.broker import RabbitBroker
from connector_sandbox.connector_run import ConnectorRun
from connector_sandbox.fault_matrix import (
    AMQP,
    API,
    COUNT,
    READER_CAPABILITIES,
    READER_TOKEN,
    SEED,
    Action,
    Outcome,
    Record,
    Scenario,
    Window,
    text_matches,
)
from connector_sandbox.fault_scenarios import NOT_CLOSED, SCENARIOS
from connector_sandbox.fork_server import ForkServer
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.source import DemoSource
from snippets.example_connector.bounds import bounded
from snippets.example_connector.config import IOCSourceSettings
from snippets.example_connector.connector import OPEN_WORK
from tests.doc_sources import ROOT
from tests.reliability.scenario_run import (
    API_KEY,
    TOKEN,
    Sandbox,
    ScenarioRun,
    everything_recorded,
    ingested_ids,
    listed_ids,
    rerun,
    run,
    secrets_of,
)
from tests.reliability.short_pycti_timeout import MODULE as SHORT_TIMEOUT_MODULE
from tests.reliability.short_pycti_timeout import shortened_faults

LOUD = ("WARNING", "ERROR")
SETTLE_SECONDS = 5
# How long a line of the connector's output may be, whatever the source sends: a record
# echoes at most MAX_ECHO characters of each value of the source's, and a list's first
# MAX_ITEMS items. A record is bounded without its traceback (pycti's "exc_info", chained
# exceptions included, reaches 9 KB when the platform goes away), which is bounded apart.
MAX_RECORD_BYTES = 4 * 1024
MAX_TRACEBACK_BYTES = 16 * 1024
MAX_LINE_BYTES = 8 * 1024  # a line that is not a JSON record
MAX_IDS_SETTING = "IOC_SOURCE_MAX_IDS_PER_REQUEST"
DEFAULT_MAX_IDS = IOCSourceSettings.model_fields["max_ids_per_request"].default
CLOSING = re.compile(
    r"(?P<ingested>\d+) of (?P<seen>\d+) IOCs ingested"
    r"(?:; (?P<skipped>\d+) skipped \((?P<reasons>[^)]*)\))?"
    r"(?:; (?P<unprocessed>\d+) not processed)?"
)


RUNS = [
    (scenario, protocol) for scenario in SCENARIOS for protocol in scenario.protocols
]
# The rows of the matrix, by the tuple of connector_sandbox/fault_scenarios/ that holds them.
EXPECTED_NAMES = {
    "HOSTILE_SCENARIOS": (
        "source_trickle_headers_on_one_ioc",
        "source_trickle_headers_on_the_id_list",
        "source_trickle_chunked_on_one_ioc",
        "source_trickle_chunked_on_the_id_list",
        "source_endless_trailers_on_one_ioc",
        "source_endless_trailers_on_the_id_list",
        "source_redirect_trickle_on_one_ioc",
        "source_redirect_trickle_on_the_id_list",
        "source_redirect_away_on_one_ioc",
        "source_redirect_away_on_the_id_list",
        "source_odd_retry_after_on_one_ioc",
        "source_odd_retry_after_on_every_ioc",
        "source_odd_content_length_on_one_ioc",
        "source_odd_content_length_on_the_id_list",
        "source_gzip_bomb_on_one_ioc",
        "source_gzip_bomb_on_the_id_list",
        "source_odd_ids",
        "source_huge_type",
        "source_503_on_every_ioc_stops_the_run",
        "source_more_ids_than_one_answer_may_hold",
    ),
    "PLATFORM_SCENARIOS": (
        "platform_unreachable_at_start",
        "platform_refuses_the_token",
        "platform_503_at_start",
        "platform_workadd_refused",
        "platform_refuses_the_bundle",
        "platform_unreachable_mid_run",
        "platform_unavailable_at_close",
        "platform_refuses_to_close_the_work",
        "platform_refuses_the_state",
        "platform_queue_check_fails",
    ),
    "PLATFORM_ERROR_SCENARIOS": (
        "platform_6x_release",
        "platform_token_lacks_connectorapi",
        "platform_forbidden_on_workadd",
        "platform_lock_error_at_close",
        "platform_work_not_alive_at_close",
        "platform_slow",
        "platform_times_out_at_start",
        "platform_worker_slow",
        "platform_worker_reports_an_error",
        "rabbitmq_down_mid_run",
    ),
    "PROCESS_SCENARIOS": (
        "sigterm_mid_run",
        "sigint_mid_run",
        "sigterm_after_the_first_batch",
    ),
    "CONFIG_SCENARIOS": (
        "config_missing_opencti_url",
        "config_missing_opencti_token",
        "config_missing_connector_id",
        "config_missing_ioc_source_url",
        "config_missing_ioc_source_api_key",
        "config_missing_everything",
        "config_malformed_url",
        "config_url_scheme",
        "config_token_in_the_url_setting",
        "config_wrong_type_integer",
        "config_wrong_type_boolean",
        "config_invalid_duration",
        "config_duration_too_short",
        "config_unknown_log_level",
        "config_file_not_yaml",
    ),
    "PAYLOAD_SCENARIOS": (
        "source_html_with_200",
        "source_html_with_200_on_the_id_list",
        "source_empty_200",
        "source_truncated_json",
        "source_wrong_shape",
        "source_wrong_shape_on_the_id_list",
        "source_unknown_ioc_type",
        "source_unknown_extra_fields",
        "source_missing_recommended_field",
        "source_oversized_ioc",
        "source_oversized_id_list",
        "source_slow_trickle_within_the_deadline",
        "source_slow_trickle_past_the_deadline",
        "source_pdf_500",
        "source_pdf_html_with_200",
    ),
    "TRANSPORT_SCENARIOS": (
        "source_wrong_api_key",
        "source_401_on_one_ioc",
        "source_403_on_the_id_list",
        "source_403_on_one_ioc",
        "source_404_on_one_ioc",
        "source_429_then_ok",
        "source_429_never_recovers",
        "source_500_then_ok",
        "source_500_never_recovers",
        "source_500_on_every_ioc",
        "source_503_then_ok_on_the_id_list",
        "source_503_never_recovers_on_the_id_list",
        "source_read_timeout_on_one_ioc",
        "source_read_timeout_on_the_id_list",
        "source_connection_refused",
        "source_reset_mid_body_on_one_ioc",
        "source_reset_mid_body_once",
        "source_reset_mid_body_on_the_id_list",
    ),
}


def _broker(
    scenario: Scenario, protocol: str, request: pytest.FixtureRequest
) -> AbstractContextManager[RabbitBroker | None]:
    if protocol != AMQP:
        return nullcontext()
    if scenario.action is Action.STOP_BROKER:
        return RabbitBroker()  # its own: the scenario stops it
    shared: RabbitBroker = request.getfixturevalue("rabbit_broker")
    return nullcontext(shared)


@pytest.fixture(scope="session")
def short_timeout_server() -> Iterator[ForkServer]:
    """Forks the connector with pycti's request timeout shortened (short_pycti_timeout.py);
    the tests package is found as the test run finds it, from the repository's root."""
    with ForkServer(
        SHORT_TIMEOUT_MODULE,
        server_env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as server:
        yield server


@pytest.fixture
def sandbox(
    tmp_path: Path, request: pytest.FixtureRequest, fork_server: ForkServer
) -> Iterator[Sandbox]:
    scenario, protocol = request.param
    platform_faults, start = scenario.platform_faults, fork_server.start
    if scenario.outlasts_pycti_timeout:
        platform_faults = shortened_faults(platform_faults)
        server: ForkServer = request.getfixturevalue("short_timeout_server")
        start = server.start
    with (
        _broker(scenario, protocol, request) as broker,
        PlatformStandIn(
            token=TOKEN,
            faults=platform_faults,
            tokens={READER_TOKEN: READER_CAPABILITIES},
            release=scenario.release,
            broker=broker,
        ) as platform,
        DemoSource(
            api_key=API_KEY, count=COUNT, seed=SEED, faults=scenario.source_faults
        ) as source,
    ):
        yield Sandbox(
            platform,
            source,
            str(uuid.uuid4()),
            tmp_path,
            protocol,
            broker,
            start=start,
        )


@pytest.mark.parametrize(
    ("sandbox", "scenario"),
    [((scenario, protocol), scenario) for scenario, protocol in RUNS],
    ids=[
        scenario.name if protocol == API else f"{scenario.name}-{protocol}"
        for scenario, protocol in RUNS
    ],
    indirect=["sandbox"],
)
def test_scenario(sandbox: Sandbox, scenario: Scenario) -> None:
    first = run(sandbox, scenario)
    outcome = scenario.outcome

    assert first.exit_code == outcome.exit_code, _shown(first)
    _check_records(first, outcome.records)
    _check_output(first, outcome)
    works = _works(sandbox.platform, sandbox.connector_id)
    _check_work(works, outcome)
    ingested = ingested_ids(sandbox, works[0]["id"]) if works else set()
    assert len(ingested) == outcome.ingested
    _check_window(sandbox.platform, sandbox.connector_id, outcome.window)
    _check_accounting(first, sandbox.source, works, ingested)
    _check_no_work_left_open(first, works)
    _check_no_secret(first, sandbox.platform, secrets_of(scenario))
    _check_source_requests(sandbox.source, outcome)
    _check_lines(first)
    _check_nothing_sent_elsewhere(sandbox.source)
    _check_answers_within_the_setting(first, scenario)

    if scenario.rerun:
        _check_rerun(sandbox, previous_works=len(works), secrets=secrets_of(scenario))


def _scenario_tuples() -> dict[str, tuple[Scenario, ...]]:
    """Every ``*_SCENARIOS`` tuple the modules of ``fault_scenarios`` define, by name."""
    found: dict[str, tuple[Scenario, ...]] = {}
    for module in pkgutil.iter_modules(fault_scenarios.__path__):
        loaded = importlib.import_module(f"{fault_scenarios.__name__}.{module.name}")
        for name, value in vars(loaded).items():
            if name.endswith("_SCENARIOS"):
                found[name] = value
    return found


def test_the_matrix_runs_every_scenario_defined_and_only_those() -> None:
    """The rows are exactly the ones the issue asked for, in the modules' order: one dropped,
    renamed or defined in a tuple SCENARIOS leaves out fails here."""
    defined = _scenario_tuples()
    assert {
        name: tuple(scenario.name for scenario in scenarios)
        for name, scenarios in defined.items()
    } == EXPECTED_NAMES
    # The same objects: none defined and left out, none run twice (scenarios hold dicts,
    # so they are told apart by identity).
    in_tuples = [
        id(scenario) for scenarios in defined.values() for scenario in scenarios
    ]
    assert sorted(map(id, SCENARIOS)) == sorted(in_tuples)
    names = [scenario.name for scenario in SCENARIOS]
    assert len(set(names)) == len(names) == 91


def test_every_transient_fault_is_rerun() -> None:
    """A fault that keeps the window must show the next run picks up what was left."""
    for scenario in SCENARIOS:
        kept = scenario.outcome.window in (Window.KEPT, Window.NOT_SAVED)
        assert scenario.rerun or not kept, f"{scenario.name}: kept window, no rerun"


def _shown(run_: ConnectorRun) -> str:
    lines = [
        f"{r.get('level')} {r.get('message')} {r.get('attributes')}"
        for r in run_.records
    ]
    return "\n".join([*lines, *run_.other_output])


def _expanded(records: tuple[Record, ...]) -> list[Record]:
    return [record for record in records for _ in range(record.count)]


def _matches(record: Record, actual: Mapping[str, Any]) -> bool:
    if actual.get("level") != record.level:
        return False
    if not text_matches(record.message, str(actual.get("message"))):
        return False
    attributes = actual.get("attributes") or {}
    return all(
        name in attributes
        and (
            text_matches(expected, str(attributes[name]))
            if isinstance(expected, str)
            else attributes[name] == expected
        )
        for name, expected in record.attributes.items()
    )


def _check_records(run_: ConnectorRun, expected: tuple[Record, ...]) -> None:
    """Exactly the expected WARNING and ERROR records, in order; the quieter ones present."""
    loud = [r for r in run_.records if r.get("level") in LOUD]
    wanted = [r for r in _expanded(expected) if r.level in LOUD]
    assert len(loud) == len(wanted), _shown(run_)
    for record, actual in zip(wanted, loud, strict=True):
        assert _matches(record, actual), f"expected {record}, got {actual}"
    for record in expected:
        if record.level in LOUD:
            continue
        found = [r for r in run_.records if _matches(record, r)]
        assert len(found) == record.count, f"{record} in:\n{_shown(run_)}"


def _check_output(run_: ConnectorRun, outcome: Outcome) -> None:
    """Outside the JSON records: the start-up line, and a traceback only where expected."""
    startup = [
        line for line in run_.other_output if line.startswith("example-connector:")
    ]
    others = [line for line in run_.other_output if line not in startup]
    if outcome.startup_error is None:
        assert startup == []
    else:
        (line,) = startup
        assert text_matches(outcome.startup_error, line), line
    if outcome.traceback:
        assert "Traceback (most recent call last):" in others
    else:
        assert others == []


def _works(platform: PlatformStandIn, connector_id: str) -> list[dict[str, Any]]:
    registered = [c["id"] for c in platform.snapshot()["connectors"]]
    if connector_id not in registered:
        return []
    # The worker ingests after the run. A work whose expectations can never be met (its
    # bundle never reached the queue) is what the outcome then asserts, as it stands.
    if platform.running:
        platform.settle(timeout=SETTLE_SECONDS)
    return platform.works(connector_id)


def _texts(entries: list[dict[str, Any]]) -> list[str]:
    return [str(entry["message"]) for entry in entries]


def _check_work(works: list[dict[str, Any]], outcome: Outcome) -> None:
    if outcome.work is None:
        assert works == []
        return
    (work,) = works
    shown = outcome.work
    assert (work["status"], work["in_error"]) == (shown.status, shown.in_error)
    for expected, actual in (
        (shown.messages, work["messages"]),
        (shown.errors, work["errors"]),
    ):
        texts = _texts(actual)
        assert len(texts) == len(expected), texts
        for pattern, text in zip(expected, texts, strict=True):
            assert text_matches(pattern, text), f"{pattern!r} vs {text!r}"
    assert work["bundles_received"] == shown.bundles


def _check_window(platform: PlatformStandIn, connector_id: str, window: Window) -> None:
    registered = [c["id"] for c in platform.snapshot()["connectors"]]
    state = platform.state(connector_id) if connector_id in registered else None
    if window is Window.UNTOUCHED:
        assert state is None
        return
    if window is Window.NOT_SAVED:
        # At most what the run saved as it opened its work: that work's id.
        assert state is None or (isinstance(state, dict) and set(state) == {OPEN_WORK})
        return
    assert isinstance(state, dict)
    if window is Window.MOVES:
        assert state["last_ingested"] == state["last_run"]
    else:
        assert "last_ingested" not in state
        assert "last_run" in state


def _check_accounting(
    run_: ConnectorRun,
    source: DemoSource,
    works: list[dict[str, Any]],
    ingested: set[str],
) -> None:
    """Every listed id ends ingested, skipped with one WARNING, or counted as not processed."""
    skips = [r["attributes"] for r in run_.with_message("IOC skipped")]
    skipped = Counter(skip["ioc_id"] for skip in skips)
    assert all(n == 1 for n in skipped.values()), skipped
    assert all(skip["reason"] for skip in skips)
    listed = listed_ids(run_, source)
    if listed is None:
        assert skipped == Counter()
        assert ingested == set()
        return
    # Each id in one answer only, even when the window was asked for in slices.
    assert len(set(listed)) == len(listed), listed
    # A record names an id as the log shows any value of the source's: bounded.
    ids = [bounded(ioc_id) for ioc_id in listed]
    assert len(set(ids)) == len(ids)
    assert set(skipped) <= set(ids)
    assert ingested <= set(ids)
    assert not ingested & set(skipped)
    unprocessed = set(ids) - ingested - set(skipped)

    (finished,) = run_.with_message("Run finished")
    facts = finished["attributes"]
    assert (facts["ids_seen"], facts["ingested"]) == (len(ids), len(ingested))
    assert sum(facts["skipped"].values()) == len(skipped)
    reasons = Counter(skip["error"] for skip in skips)
    assert facts["skipped"] == dict(reasons)
    # The window moves on only when no id is left for a later run.
    if "last_ingested" in facts["state"]:
        assert not unprocessed
        assert facts["retry_later"] == 0
        assert not facts["in_error"]

    closing = _closing_message(works)
    if closing is None:
        return
    match = CLOSING.fullmatch(closing)
    assert match is not None, closing
    assert int(match["seen"]) == len(ids)
    assert int(match["ingested"]) == len(ingested)
    assert int(match["skipped"] or 0) == len(skipped)
    assert int(match["unprocessed"] or 0) == len(unprocessed)
    expected_reasons = ", ".join(f"{n} {name}" for name, n in sorted(reasons.items()))
    assert (match["reasons"] or "") == expected_reasons


def _closing_message(works: list[dict[str, Any]]) -> str | None:
    """The message the run closed its work with: the last error when closed in error."""
    if not works or works[0]["status"] != "complete":
        return None
    work = works[0]
    entries = work["errors"] if work["in_error"] else work["messages"]
    return str(entries[-1]["message"])


def _check_no_work_left_open(run_: ConnectorRun, works: list[dict[str, Any]]) -> None:
    """A work still "in progress" is one the connector said it could not close, or one it
    closed whose announced expectations the platform still waits for (amqp: pycti adds them
    before it publishes, and the broker went away)."""
    said = {r["attributes"]["work_id"] for r in run_.with_message(NOT_CLOSED)}
    for work in works:
        closed = work["status"] == "complete" or work["processed_requested"]
        assert closed or work["id"] in said, work


def _check_no_secret(
    run_: ConnectorRun, platform: PlatformStandIn, secrets: list[str]
) -> None:
    recorded = everything_recorded(run_, platform)
    leaked = [secret for secret in secrets if secret in recorded]
    assert leaked == []


def _check_source_requests(source: DemoSource, outcome: Outcome) -> None:
    """How many times the source was asked for the paths the outcome names."""
    received = source.stats().requests
    counted = {path: received.get(path, 0) for path in outcome.source_requests}
    assert counted == dict(outcome.source_requests), received


def _check_lines(run_: ScenarioRun) -> None:
    """No line of the output is longer than its bound: a record, without its traceback,
    MAX_RECORD_BYTES; its traceback MAX_TRACEBACK_BYTES; any other line MAX_LINE_BYTES."""
    assert run_.lines, "no output at all"
    for line in run_.lines:
        size = len(line.encode())
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            assert size <= MAX_LINE_BYTES, f"{size} bytes: {line[:300]}"
            continue
        traceback = len(json.dumps(record.get("exc_info", "")).encode())
        assert traceback <= MAX_TRACEBACK_BYTES, f"{traceback} bytes: {line[:300]}"
        assert size - traceback <= MAX_RECORD_BYTES, f"{size} bytes: {line[:300]}"


def _check_nothing_sent_elsewhere(source: DemoSource) -> None:
    """Not one request reached the other origin a redirect points to: the API key and the
    query stay with the source."""
    assert source.other_origin.received() == []


def _check_answers_within_the_setting(run_: ConnectorRun, scenario: Scenario) -> None:
    """Each id list the run worked on held at most IOC_SOURCE_MAX_IDS_PER_REQUEST ids."""
    limit = int(scenario.settings.get(MAX_IDS_SETTING) or DEFAULT_MAX_IDS)
    counts = [r["attributes"]["count"] for r in run_.with_message("IOCs to process")]
    assert all(count <= limit for count in counts), counts


def _check_rerun(sandbox: Sandbox, previous_works: int, secrets: list[str]) -> None:
    """Once the fault is gone, the next run ingests every IOC and moves the window."""
    second = rerun(sandbox)
    assert second.exit_code == 0, _shown(second)
    assert [r for r in second.records if r.get("level") in LOUD] == []
    works = _works(sandbox.platform, sandbox.connector_id)
    assert len(works) == previous_works + 1
    work = works[-1]
    assert (work["status"], work["in_error"]) == ("complete", False)
    assert _texts(work["messages"]) == [f"{COUNT} of {COUNT} IOCs ingested"]
    assert ingested_ids(sandbox, work["id"]) == set(
        listed_ids(second, sandbox.source) or []
    )
    assert len(ingested_ids(sandbox, work["id"])) == COUNT
    _check_window(sandbox.platform, sandbox.connector_id, Window.MOVES)
    _check_no_secret(second, sandbox.platform, secrets)
    _check_lines(second)
    _check_nothing_sent_elsewhere(sandbox.source)
