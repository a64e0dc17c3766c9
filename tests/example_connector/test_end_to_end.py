"""The example connector as a user runs it: a real process, pycti's real helper, over HTTP
to the sandbox; assertions on what the platform stand-in recorded and what was logged.

Each test runs with both queue protocols: ``api`` (bundles over HTTP) and ``amqp`` (pycti's
default: bundles to a real RabbitMQ, consumed by the stand-in's worker).
"""

from __future__ import annotations

import json
import signal
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pycti
import pytest

from connector_sandbox.broker import RabbitBroker
from connector_sandbox.connector_run import (
    ConnectorRun,
    connector_env,
    finish,
    run_connector,
    start_connector,
)
from connector_sandbox.demo import DEMO_FAULTS
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.platform_schema import PlatformRelease
from connector_sandbox.source import DemoSource

TOKEN = "platform-token-e2e-7d41c9"
API_KEY = "source-key-e2e-2b8f60"


PROTOCOLS = ["api", "amqp"]


@pytest.fixture(params=PROTOCOLS)
def protocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def platform(
    protocol: str, request: pytest.FixtureRequest
) -> Iterator[PlatformStandIn]:
    broker = request.getfixturevalue("rabbit_broker") if protocol == "amqp" else None
    with PlatformStandIn(token=TOKEN, broker=broker) as server:
        yield server


@pytest.fixture
def source() -> Iterator[DemoSource]:
    with DemoSource(api_key=API_KEY, count=20, seed=3) as server:
        yield server


@pytest.fixture
def connector_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def env(
    platform: PlatformStandIn, source: DemoSource, connector_id: str, protocol: str
) -> dict[str, str]:
    return sandbox_env(
        platform, source, connector_id, CONNECTOR_QUEUE_PROTOCOL=protocol
    )


def sandbox_env(
    platform: PlatformStandIn,
    source: DemoSource,
    connector_id: str,
    token: str = TOKEN,
    **overrides: str,
) -> dict[str, str]:
    """The connector's environment for a platform and source of the test's own."""
    return connector_env(
        platform_url=platform.url,
        token=token,
        source_url=source.url,
        api_key=API_KEY,
        connector_id=connector_id,
        **overrides,
    )


def only_work(platform: PlatformStandIn, connector_id: str) -> dict[str, Any]:
    # The worker ingests after the run: read the work once it has caught up.
    assert platform.settle(), "the worker did not ingest everything in time"
    (work,) = platform.works(connector_id)
    return work


def indicators(platform: PlatformStandIn, connector_id: str) -> list[dict[str, Any]]:
    assert platform.settle(), "the worker did not ingest everything in time"
    return [o for o in platform.objects(connector_id) if o["type"] == "indicator"]


def assert_no_secret(run: ConnectorRun, platform: PlatformStandIn) -> None:
    text = json.dumps(run.records) + "\n".join(run.other_output)
    text += json.dumps(platform.snapshot())
    assert TOKEN not in text
    assert API_KEY not in text


def test_clean_run(
    env: dict[str, str], platform: PlatformStandIn, connector_id: str, protocol: str
) -> None:
    run = run_connector(env)
    assert run.exit_code == 0
    # Over amqp the bundles reach the worker through RabbitMQ, never over HTTP.
    pushed_over_http = "StixBundlePush" in platform.operations()
    assert pushed_over_http is (protocol == "api")
    assert run.other_output == []
    assert run.at("WARNING") == []
    assert run.at("ERROR") == []
    work = only_work(platform, connector_id)
    assert work["status"] == "complete"
    assert work["in_error"] is False
    assert [m["message"] for m in work["messages"]] == ["20 of 20 IOCs ingested"]
    assert len(indicators(platform, connector_id)) == 20
    state = platform.state(connector_id)
    assert isinstance(state, dict)
    assert state["last_ingested"] == state["last_run"]
    assert_no_secret(run, platform)


def test_faulty_ids_are_skipped_with_one_warning_each(
    env: dict[str, str],
    source: DemoSource,
    platform: PlatformStandIn,
    connector_id: str,
) -> None:
    source.set_faults(DEMO_FAULTS)
    run = run_connector(env)
    assert run.exit_code == 0
    skips = {
        r["attributes"]["ioc_id"]: r["attributes"]
        for r in run.with_message("IOC skipped")
    }
    assert sorted(skips) == ["ioc-0004", "ioc-0007", "ioc-0011"]
    assert skips["ioc-0004"]["error"] == "UnsupportedTypeError"
    assert skips["ioc-0004"]["data_warnings"] == [
        "UnexpectedValueWarning: field 'type' has unexpected value 'url'; it is kept as is"
    ]
    assert skips["ioc-0007"]["reason"].endswith("HTTP 404 Not Found")
    assert "invalid answer" in skips["ioc-0011"]["reason"]
    # One WARNING per skipped id; the others belong to the IOC ingested with extra fields.
    other_warnings = [r for r in run.at("WARNING") if r["message"] != "IOC skipped"]
    assert {r["attributes"]["ioc_id"] for r in other_warnings} == {"ioc-0016"}
    work = only_work(platform, connector_id)
    assert (work["status"], work["in_error"]) == ("complete", False)
    assert work["messages"][0]["message"] == (
        "17 of 20 IOCs ingested; 3 skipped (2 DataRetrievalError, 1 UnsupportedTypeError)"
    )
    assert len(indicators(platform, connector_id)) == 17
    assert_no_secret(run, platform)


def test_source_down_closes_the_work_in_error_and_keeps_the_window(
    env: dict[str, str],
    source: DemoSource,
    platform: PlatformStandIn,
    connector_id: str,
) -> None:
    source.set_faults([{"name": "http_503", "endpoint": "ids", "rate": 1.0}])
    run = run_connector({**env, "IOC_SOURCE_MAX_ATTEMPTS": "2"})
    assert run.exit_code == 0
    (warning,) = run.at("WARNING")
    assert (
        warning["message"] == "The source is unavailable; the next run will try again"
    )
    assert "503 Service Unavailable" in warning["attributes"]["reason"]
    work = only_work(platform, connector_id)
    assert work["in_error"] is True
    assert work["errors"][0]["message"].startswith("Data source unavailable: ")
    assert work["errors"][0]["source"] == "CONNECTOR"
    state = platform.state(connector_id)
    assert isinstance(state, dict)
    assert "last_ingested" not in state
    assert_no_secret(run, platform)


def test_transient_failure_keeps_the_window_and_a_rerun_picks_it_up(
    env: dict[str, str],
    source: DemoSource,
    platform: PlatformStandIn,
    connector_id: str,
) -> None:
    source.set_faults([{"name": "http_503", "endpoint": "ioc", "id": "ioc-0005"}])
    first = run_connector({**env, "IOC_SOURCE_MAX_ATTEMPTS": "2"})
    (skip,) = first.with_message("IOC skipped")
    assert skip["attributes"]["ioc_id"] == "ioc-0005"
    state = platform.state(connector_id)
    assert isinstance(state, dict)
    assert "last_ingested" not in state

    source.clear_faults()
    second = run_connector(env)
    assert second.exit_code == 0
    assert second.with_message("IOC skipped") == []
    assert platform.settle()
    assert [w["status"] for w in platform.works(connector_id)] == [
        "complete",
        "complete",
    ]
    patterns = {o["pattern"] for o in indicators(platform, connector_id)}
    assert len(patterns) == 20  # ioc-0005 arrived; the others were sent again, same ids
    state = platform.state(connector_id)
    assert isinstance(state, dict)
    assert "last_ingested" in state


@pytest.mark.parametrize("protocol", ["api"], indirect=True)
def test_unexpected_error_is_logged_reported_and_the_work_closed(
    env: dict[str, str], platform: PlatformStandIn, connector_id: str
) -> None:
    platform.set_faults([{"name": "graphql_error", "operation": "StixBundlePush"}])
    run = run_connector(env)
    assert run.exit_code == 0
    (error,) = run.at("ERROR")
    assert error["message"] == "Unexpected error; the run is stopped"
    assert "Traceback" in error["exc_info"]
    work = only_work(platform, connector_id)
    assert work["in_error"] is True
    assert work["errors"][0]["message"].startswith("Unexpected error: ValueError(")
    assert work["status"] == "complete"
    assert_no_secret(run, platform)


def _run_until_processing_then(
    env: dict[str, str], source: DemoSource, signum: int
) -> ConnectorRun:
    # Each IOC answers slowly, so the run is surely in its loop when the signal comes.
    source.set_faults(
        [{"name": "slow", "endpoint": "ioc", "rate": 1.0, "seconds": 0.5}]
    )
    process = start_connector(env)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if '"IOCs to process"' in line:
            break
    process.send_signal(signum)
    run = finish(process)
    return ConnectorRun(
        run.exit_code, [json.loads(s) for s in seen] + run.records, run.other_output
    )


# pycti's client installs SIGINT and SIGTERM handlers that raise SystemExit(0) when this is
# set; only its presence and PEM header matter, the sandbox speaks plain HTTP.
PROXY_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize(
    ("signum", "exit_code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)]
)
@pytest.mark.parametrize(
    "extra",
    [{}, {"HTTPS_CA_CERTIFICATES": PROXY_CERTIFICATE}],
    ids=["plain", "pycti-proxy-certificates"],
)
def test_a_signal_mid_run_closes_the_work_in_error(
    env: dict[str, str],
    source: DemoSource,
    platform: PlatformStandIn,
    connector_id: str,
    signum: int,
    exit_code: int,
    extra: dict[str, str],
) -> None:
    run = _run_until_processing_then({**env, **extra}, source, signum)
    assert run.exit_code == exit_code
    assert run.other_output == []
    work = only_work(platform, connector_id)
    assert work["in_error"] is True
    assert work["errors"][0]["message"] == (
        "Connector stopped by user or system before the run finished"
    )
    assert "not processed" in work["errors"][-1]["message"]
    state = platform.state(connector_id)
    assert isinstance(state, dict)
    assert "last_ingested" not in state


def test_invalid_configuration_exits_1_with_one_line(env: dict[str, str]) -> None:
    run = run_connector({**env, "CONNECTOR_DURATION_PERIOD": "soon"})
    assert run.exit_code == 1
    assert run.records == []
    (line,) = run.other_output
    assert line.startswith(
        "example-connector: configuration error: invalid configuration: "
    )
    assert "CONNECTOR_DURATION_PERIOD" in line


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_platform_exits_1_with_one_line(env: dict[str, str]) -> None:
    url = f"http://127.0.0.1:{_unused_port()}"
    run = run_connector({**env, "OPENCTI_URL": url})
    assert run.exit_code == 1
    messages = [
        line for line in run.other_output if line.startswith("example-connector:")
    ]
    assert messages == [
        f"example-connector: OpenCTI at {url}/ is unreachable or refused the connector "
        "(check OPENCTI_URL and OPENCTI_TOKEN): ValueError: OpenCTI API is not reachable. "
        "Waiting for OpenCTI API to start or check your configuration..."
    ]
    assert TOKEN not in json.dumps(run.records) + "\n".join(run.other_output)


def test_wrong_token_exits_1(env: dict[str, str]) -> None:
    run = run_connector({**env, "OPENCTI_TOKEN": "not-the-token"})
    assert run.exit_code == 1
    assert any(
        "check OPENCTI_URL and OPENCTI_TOKEN" in line for line in run.other_output
    )
    assert "not-the-token" not in json.dumps(run.records) + "\n".join(run.other_output)


@pytest.mark.parametrize("protocol", ["amqp"], indirect=True)
def test_rabbitmq_down_mid_run_stops_the_run_and_the_next_run_recovers(
    source: DemoSource, connector_id: str, protocol: str
) -> None:
    # A broker of its own: this test stops it.
    with RabbitBroker() as broker, PlatformStandIn(TOKEN, broker=broker) as platform:
        env = sandbox_env(
            platform, source, connector_id, CONNECTOR_QUEUE_PROTOCOL=protocol
        )
        source.set_faults(
            [{"name": "slow", "endpoint": "ioc", "rate": 1.0, "seconds": 0.05}]
        )
        process = start_connector(env)
        assert process.stdout is not None
        for line in process.stdout:
            if '"IOCs to process"' in line:
                break
        broker.stop()
        run = finish(process)

        assert run.exit_code == 0
        (error,) = run.with_message("Unexpected error; the run is stopped")
        assert error["attributes"]["error"].startswith("AMQPConnectionError")
        (work,) = platform.works(connector_id)
        assert work["in_error"] is True
        assert work["errors"][0]["message"].startswith(
            "Unexpected error: AMQPConnectionError"
        )
        # pycti announced the bundle's expectations before it tried the broker: they can't
        # be met, so the platform leaves the work in progress although it was closed.
        assert (work["status"], work["processed_requested"]) == ("progress", True)
        assert work["import_expected_number"] > work["import_processed_number"]
        state = platform.state(connector_id)
        assert isinstance(state, dict)
        assert "last_ingested" not in state  # the window is asked for again

        broker.start()
        source.clear_faults()
        again = run_connector(env)
        assert again.exit_code == 0
        assert again.at("ERROR") == []
        last_id = platform.works(connector_id)[-1]["id"]
        assert platform.settle(timeout=30, work_ids=[last_id])
        last = platform.work(last_id)
        assert (last["status"], last["in_error"]) == ("complete", False)
        assert len(platform.bundles(connector_id, last_id)) > 0


def test_a_6x_platform_stops_the_start_naming_both_versions(
    source: DemoSource, connector_id: str
) -> None:
    with PlatformStandIn(TOKEN, release=PlatformRelease.V6) as platform:
        run = run_connector(sandbox_env(platform, source, connector_id))
    assert run.exit_code == 1
    assert [line for line in run.other_output if "example-connector:" in line] == [
        f"example-connector: OpenCTI at {platform.url}/ runs 6.8.14, and this "
        f"connector's pycti is {pycti.__version__}: the platform's API has no place for "
        'what this pycti sends (Cannot query field "jwks" on type "Connector".). Use '
        "the pycti of the platform's version (pip install 'pycti==6.8.14') or upgrade "
        f"OpenCTI to {pycti.__version__}."
    ]
    assert platform.snapshot()["connectors"] == []


def test_a_token_without_connectorapi_stops_the_start_naming_the_capability(
    source: DemoSource, connector_id: str
) -> None:
    reader = "reader-token-3f1e"
    with PlatformStandIn(TOKEN, tokens={reader: ["KNOWLEDGE", "MODULES"]}) as platform:
        run = run_connector(sandbox_env(platform, source, connector_id, reader))
    assert run.exit_code == 1
    (line,) = [line for line in run.other_output if "example-connector:" in line]
    assert "give that user a role with the CONNECTORAPI capability" in line
    assert "RegisterConnector" in platform.operations()
    assert platform.snapshot()["connectors"] == []
    assert reader not in json.dumps(run.records) + "\n".join(run.other_output)
