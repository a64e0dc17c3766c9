"""The OpenCTI platform stand-in, driven by the real, unmodified pycti connector helper.

The first half runs ``pycti.OpenCTIConnectorHelper`` against the stand-in and checks the
exact GraphQL operations it sends and what the platform records; the second half checks
the HTTP surface (bad requests, auth, faults, views) with plain requests.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pycti
import pycti.connector.opencti_connector_helper as helper_module
import pytest
import requests
import stix2

from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.platform_faults import InvalidFaultError, parse_fault
from connector_sandbox.platform_records import UnknownRecordError

TOKEN = "0b8c6a63-sandbox-token"
STARTUP = ["healthCheck", "healthCheck", "RegisterConnector"]
NOT_REACHABLE = "OpenCTI API is not reachable"

HelperFactory = Callable[..., Any]


@pytest.fixture(autouse=True)
def _kill_hook_records_instead(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep pycti's kill hook from ending the test run, and restore sys.excepthook.

    Constructing a helper sets ``sys.excepthook = killProgramHook``, and the helper calls
    that hook itself when a scheduled run fails: it would SIGTERM pytest. Here the hook
    records the exception instead, and a test that triggered it fails with it.
    """
    saved = sys.excepthook
    caught: list[BaseException | None] = []

    def record(
        kind: type[BaseException] | None, value: BaseException | None, tb: object
    ) -> None:
        caught.append(value)

    monkeypatch.setattr(helper_module, "killProgramHook", record)
    yield
    sys.excepthook = saved
    if caught:
        pytest.fail(f"pycti called its kill hook with {caught!r}")


@pytest.fixture(autouse=True)
def _no_connector_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # pycti reads OPENCTI_*/CONNECTOR_*/MQ_* variables before the config dict.
    for name in list(os.environ):
        if name.startswith(("OPENCTI_", "CONNECTOR_", "MQ_", "S3_", "QUEUE_")):
            monkeypatch.delenv(name)


@pytest.fixture
def platform() -> Iterator[PlatformStandIn]:
    with PlatformStandIn(token=TOKEN) as running:
        yield running


@pytest.fixture
def connector_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def make_helper(
    platform: PlatformStandIn, connector_id: str
) -> Iterator[HelperFactory]:
    """Builds helpers for ``connector_id``; afterwards their PingAlive threads are ended."""
    helpers: list[Any] = []

    def make(token: str = TOKEN, **connector: object) -> Any:
        config = {
            "opencti": {"url": platform.url, "token": token},
            "connector": {
                "id": connector_id,
                "type": "EXTERNAL_IMPORT",
                "name": "Sandbox connector",
                "scope": "indicator,identity",
                "log_level": "error",
                "queue_protocol": "api",
                "run_and_terminate": True,  # no PingAlive thread unless a test asks
                **connector,
            },
        }
        helper = pycti.OpenCTIConnectorHelper(config)
        helpers.append(helper)
        return helper

    yield make
    for helper in helpers:
        # helper.ping is the PingAlive thread; run-and-terminate helpers have none.
        if hasattr(helper, "ping"):
            helper.ping.stop()
            helper.ping.join(timeout=5)
            assert not helper.ping.is_alive()


def a_bundle(helper: Any, count: int = 2) -> tuple[str, list[str]]:
    objects = [
        stix2.Indicator(
            name=f"Scanner {n}",
            pattern=f"[ipv4-addr:value = '198.51.100.{n}']",
            pattern_type="stix",
        )
        for n in range(1, count + 1)
    ]
    ids = [obj.id for obj in objects]  # stix2_create_bundle turns the list into dicts
    return helper.stix2_create_bundle(objects), ids


def wait_for(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# region the real pycti helper against the stand-in
def test_helper_start_up_registers_the_connector(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    started = time.monotonic()
    helper = make_helper()

    assert time.monotonic() - started < 2
    assert platform.operations() == STARTUP
    connector = platform.connector(connector_id)
    assert (connector["name"], connector["type"]) == (
        "Sandbox connector",
        "EXTERNAL_IMPORT",
    )
    assert connector["scope"] == ["indicator", "identity"]
    assert helper.connector_id == connector_id
    assert helper.get_state() is None


def test_helper_installs_its_kill_hook(make_helper: HelperFactory) -> None:
    make_helper()
    # The module's killProgramHook: the fixture above swapped it for a recorder.
    assert sys.excepthook is helper_module.killProgramHook


def test_work_life_cycle(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper()
    work_id = helper.api.work.initiate_work(connector_id, "Run @ 2026-11-20")
    bundle, ids = a_bundle(helper)
    sent = helper.send_stix2_bundle(bundle, work_id=work_id)
    helper.api.work.report_expectation(
        work_id, {"error": "IOC ioc-0004: unknown type 'url'", "source": "ioc-0004"}
    )
    helper.api.work.to_processed(work_id, "2 indicators imported, 1 skipped")

    assert platform.operations() == STARTUP + [
        "workAdd",
        "StixBundlePush",
        "reportExpectation",
        "workToProcessed",
    ]
    assert re.fullmatch(rf"work_{connector_id}_\d{{4}}-.+Z", work_id)
    # pycti returns the bundle split one object per part, yet pushes it whole, once.
    assert len(sent) == 2
    work = platform.work(work_id)
    assert platform.works(connector_id) == [work]
    assert (work["name"], work["status"], work["in_error"]) == (
        "Run @ 2026-11-20",
        "complete",
        False,
    )
    assert (work["bundles_received"], work["objects_received"]) == (1, 2)
    assert [m["message"] for m in work["messages"]] == [
        "2 indicators imported, 1 skipped"
    ]
    assert [(e["message"], e["source"]) for e in work["errors"]] == [
        ("IOC ioc-0004: unknown type 'url'", "ioc-0004")
    ]
    assert [obj["id"] for obj in platform.objects(connector_id, work_id)] == ids
    assert helper.api.work.get_work(work_id)["status"] == "complete"


def test_other_work_calls(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper()
    work_id = helper.api.work.initiate_work(connector_id, "Run", is_multipart=True)
    helper.api.work.to_received(work_id, "Fetching IOCs")
    assert helper.api.work.add_expectations(work_id, 3) is True
    helper.api.work.ping(work_id)

    assert platform.operations() == STARTUP + [
        "workAdd",
        "workToReceived",
        "addExpectations",
        "pingWork",
    ]
    work = platform.work(work_id)
    assert (work["status"], work["import_expected_number"]) == ("progress", 3)
    assert [m["message"] for m in work["messages"]] == ["Fetching IOCs"]


def test_to_processed_in_error_files_the_message_with_the_errors(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper()
    work_id = helper.api.work.initiate_work(connector_id, "Run")
    helper.api.work.to_processed(work_id, "Source API answered 503", in_error=True)

    work = platform.work(work_id)
    assert (work["status"], work["in_error"], work["messages"]) == (
        "complete",
        True,
        [],
    )
    assert [(e["message"], e["source"]) for e in work["errors"]] == [
        ("Source API answered 503", None)
    ]


def test_multipart_work_stays_in_progress_until_to_processed(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper()
    work_id = helper.api.work.initiate_work(connector_id, "Run", is_multipart=True)
    for _ in range(2):
        helper.send_stix2_bundle(a_bundle(helper)[0], work_id=work_id)

    assert platform.work(work_id)["status"] == "progress"  # what a crash leaves behind
    helper.api.work.to_processed(work_id, "done")
    work = platform.work(work_id)
    assert (work["status"], work["objects_received"]) == ("complete", 4)


def test_state_comes_back_to_a_restarted_connector(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    first = make_helper()
    first.set_state({"last_run": "2026-11-20T10:00:00Z"})
    first.force_ping()
    second = make_helper()

    assert platform.operations() == STARTUP + ["PingConnector"] + STARTUP
    assert platform.state(connector_id) == {"last_run": "2026-11-20T10:00:00Z"}
    assert second.get_state() == {"last_run": "2026-11-20T10:00:00Z"}


def test_scheduled_run_and_terminate(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper()

    def run() -> None:
        work_id = helper.api.work.initiate_work(connector_id, "Run")
        helper.send_stix2_bundle(a_bundle(helper)[0], work_id=work_id)
        helper.api.work.to_processed(work_id, "done")
        helper.set_state({"cursor": 2})

    with pytest.raises(SystemExit) as exit_info:
        helper.schedule_iso(run, "PT1H")

    assert exit_info.value.code == 0
    # force_ping runs twice: once after the run, once more when pycti catches its SystemExit.
    assert platform.operations() == STARTUP + [
        "GetConnector",
        "workAdd",
        "StixBundlePush",
        "workToProcessed",
        "PingConnector",
        "PingConnector",
    ]
    assert platform.state(connector_id) == {"cursor": 2}


def test_ping_alive_thread_pings_at_start_and_ends(
    platform: PlatformStandIn, make_helper: HelperFactory
) -> None:
    helper = make_helper(run_and_terminate=False, duration_period="PT1H")

    wait_for(lambda: "PingConnector" in platform.operations())
    assert platform.operations() == STARTUP + ["PingConnector"]
    assert helper.ping.is_alive()  # the fixture stops and joins it


def test_helper_stop_unregisters_the_connector(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper(run_and_terminate=False, duration_period="PT1H")
    wait_for(lambda: "PingConnector" in platform.operations())
    helper.stop()

    assert platform.operations()[-1] == "ConnectorDeletionMutation"
    with pytest.raises(UnknownRecordError, match="no connector"):
        platform.connector(connector_id)


def test_helper_stop_fails_in_run_and_terminate_mode(
    make_helper: HelperFactory,
) -> None:
    # pycti only creates helper.ping (PingAlive) outside run-and-terminate.
    with pytest.raises(AttributeError, match="ping"):
        make_helper().stop()


def test_a_field_the_schema_lacks_surfaces_as_pycti_s_value_error(
    platform: PlatformStandIn, make_helper: HelperFactory
) -> None:
    helper = make_helper()
    with pytest.raises(ValueError, match="GRAPHQL_VALIDATION_FAILED") as err:
        helper.api.query("query SandboxNoSuch { me { id } }")

    assert err.value.args[0] == {
        "name": "GRAPHQL_VALIDATION_FAILED",
        "error_message": 'Cannot query field "me" on type "Query".',
    }
    assert platform.operations()[-1] == "SandboxNoSuch"


def test_wrong_token_fails_construction(
    platform: PlatformStandIn, make_helper: HelperFactory
) -> None:
    with pytest.raises(ValueError, match=NOT_REACHABLE):
        make_helper(token="not-the-token")

    assert platform.snapshot()["operations"][-1]["outcome"] == "AUTH_REQUIRED"
    assert platform.operations() == ["healthCheck"]


def test_unreachable_platform_fails_construction(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    make_helper()
    platform.stop()
    with pytest.raises(ValueError, match=NOT_REACHABLE):
        make_helper()
    platform.start()

    assert make_helper().connector_id == connector_id
    assert platform.operations() == STARTUP + STARTUP


def test_injected_faults_reach_the_helper(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper()
    platform.set_faults({"name": "http_503", "operation": "workAdd", "times": 1})
    with pytest.raises(ValueError, match=r"^503 Service Unavailable \(fault injected"):
        helper.api.work.initiate_work(connector_id, "Run")
    work_id = helper.api.work.initiate_work(connector_id, "Run")

    platform.set_faults(
        [
            {
                "name": "graphql_error",
                "operation": "StixBundlePush",
                "code": "DATABASE_ERROR",
            },
            {"name": "graphql_error", "operation": "reportExpectation"},
        ]
    )
    with pytest.raises(ValueError, match="DATABASE_ERROR"):
        helper.send_stix2_bundle(a_bundle(helper)[0], work_id=work_id)
    # pycti swallows a failed reportExpectation: the error is lost without a trace.
    helper.api.work.report_expectation(work_id, {"error": "lost", "source": "x"})

    assert platform.work(work_id)["errors"] == []
    assert [f["fired"] for f in platform.faults()] == [1, 1]


def test_hostile_values_are_escaped_in_the_page(
    platform: PlatformStandIn, make_helper: HelperFactory, connector_id: str
) -> None:
    helper = make_helper(name="<script>alert(1)</script>")
    work_id = helper.api.work.initiate_work(
        connector_id, '"><img src=x onerror=alert(2)>'
    )
    helper.api.work.to_processed(work_id, "<b>done</b> & more", in_error=True)
    response = requests.get(platform.url + "/", timeout=5)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    page = response.text
    assert "<script>" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;done&lt;/b&gt; &amp; more" in page


# endregion


# region the HTTP surface
def graphql(
    platform: PlatformStandIn,
    query: str,
    token: str | None = TOKEN,
    **variables: object,
) -> requests.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    body = {"query": query, "variables": variables}
    return requests.post(
        platform.url + "/graphql", json=body, headers=headers, timeout=5
    )


HEALTH = "query healthCheck { about { version } }"


def test_health_check(platform: PlatformStandIn) -> None:
    response = graphql(platform, HEALTH)
    assert (response.status_code, response.json()) == (
        200,
        {"data": {"about": {"version": "7.261026.0"}}},
    )


@pytest.mark.parametrize("token", [None, "wrong"])
def test_auth_failure_is_the_platform_graphql_error(
    platform: PlatformStandIn, token: str | None
) -> None:
    response = graphql(platform, HEALTH, token=token)
    assert response.status_code == 200
    # The @auth directive refuses the field: the error is on its path, the field null.
    assert response.json() == {
        "errors": [
            {
                "message": "You must be logged in to do this.",
                "locations": [{"line": 1, "column": 21}],
                "path": ["about"],
                "name": "AUTH_REQUIRED",
                "extensions": {
                    "code": "AUTH_REQUIRED",
                    "data": {"http_status": 401, "genre": "TECHNICAL"},
                },
            }
        ],
        "data": {"about": None},
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "the request body is not valid JSON: Expecting property name"),
        (b"[1]", 'the request body must be a JSON object {"query": ...}'),
        (b'{"query": ""}', '"query" must be a non-empty string'),
        (b'{"query": "query a { b }", "variables": [1]}', '"variables" must be a JSON'),
    ],
)
def test_malformed_bodies_get_400(
    platform: PlatformStandIn, body: bytes, message: str
) -> None:
    response = requests.post(platform.url + "/graphql", data=body, timeout=5)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)


def test_variables_are_checked(platform: PlatformStandIn) -> None:
    work_add = "mutation workAdd($connectorId: String!) { workAdd(connectorId: $connectorId) { id } }"
    report = (
        "mutation reportExpectation($id: ID!, $error: WorkErrorInput) "
        "{ workEdit(id: $id) { reportExpectation(error: $error) } }"
    )

    missing = graphql(platform, work_add).json()["errors"][0]
    unknown_field = graphql(platform, report, id="w", error={"message": "m"}).json()
    assert (missing["name"], missing["message"]) == (
        "BAD_USER_INPUT",
        'Variable "$connectorId" of required type "String!" was not provided.',
    )
    assert unknown_field["errors"][0]["message"] == (
        'Variable "$error" got invalid value {"message": "m"}; '
        'Field "message" is not defined by type "WorkErrorInput".'
    )


def test_calls_for_an_unknown_work_succeed_as_on_the_platform(
    platform: PlatformStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    # pycti's helpers set the root logger to ERROR: ask for this module's warnings.
    caplog.set_level(logging.WARNING, logger="connector_sandbox.platform_store")
    processed = (
        "mutation workToProcessed($id: ID!, $message: String) "
        "{ workEdit(id: $id) { toProcessed(message: $message) } }"
    )
    response = graphql(platform, processed, id="work_gone", message="done")

    assert response.json() == {"data": {"workEdit": {"toProcessed": "work_gone"}}}
    assert "workToProcessed for unknown work 'work_gone': ignored" in caplog.text


PUSH = (
    "mutation StixBundlePush($connectorId: String!, $bundle: String!, $work_id: String)"
    " { stixBundlePush(connectorId: $connectorId, bundle: $bundle, work_id: $work_id) }"
)
INVALID_STIX_BUNDLE = {
    "message": "Invalid stix bundle",
    "name": "UNSUPPORTED_ERROR",
    "extensions": {
        "code": "UNSUPPORTED_ERROR",
        "data": {"http_status": 500, "genre": "BUSINESS"},
    },
}


@pytest.mark.parametrize(
    ("bundle", "cause"),
    [
        # A JSON syntax error serialises to {} on the platform: no reason reaches the client.
        ("{", {}),
        ('{"type": "report"}', INVALID_STIX_BUNDLE),
        ('{"type": "bundle", "objects": []}', INVALID_STIX_BUNDLE),
        ("[1]", INVALID_STIX_BUNDLE),
        (
            '{"type": "bundle", "objects": [{}]}',
            {
                "message": "Invalid connector",
                "name": "UNSUPPORTED_ERROR",
                "extensions": {
                    "code": "UNSUPPORTED_ERROR",
                    "data": {
                        "http_status": 500,
                        "genre": "BUSINESS",
                        "connectorId": "c-1",
                    },
                },
            },
        ),
    ],
)
def test_invalid_bundles_are_refused_with_their_cause(
    platform: PlatformStandIn, bundle: str, cause: dict[str, object]
) -> None:
    response = graphql(platform, PUSH, connectorId="c-1", bundle=bundle)
    error = response.json()["errors"][0]
    assert response.status_code == 200
    assert (error["message"], error["name"]) == ("Invalid bundle", "UNSUPPORTED_ERROR")
    assert error["extensions"]["data"] == {
        "http_status": 500,
        "genre": "BUSINESS",
        "cause": cause,
    }


def test_faults_endpoint(platform: PlatformStandIn) -> None:
    spec = {"name": "http_500", "operation": "healthCheck", "times": 2}
    added = requests.post(platform.url + "/_faults", json=spec, timeout=5)
    answers = [graphql(platform, HEALTH) for _ in range(3)]
    listed = requests.get(platform.url + "/_faults", timeout=5).json()
    cleared = requests.delete(platform.url + "/_faults", timeout=5)

    assert (added.status_code, added.json()) == (200, [{**spec, "fired": 0}])
    assert [a.status_code for a in answers] == [500, 500, 200]
    assert (
        answers[0].text
        == "500 Internal Server Error (fault injected for healthCheck)\n"
    )
    assert listed == [{**spec, "fired": 2}]
    assert (cleared.status_code, cleared.json(), platform.faults()) == (200, [], [])


def test_bad_fault_spec_gets_400(platform: PlatformStandIn) -> None:
    spec = {"name": "http_418", "operation": "workAdd"}
    response = requests.post(platform.url + "/_faults", json=spec, timeout=5)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(
        "invalid fault spec: fault #0: 'name' must be one of"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"name": "http_503"}, "'operation' must be a GraphQL operation name"),
        ({"name": "http_503", "operation": "a b"}, "'operation' must be"),
        ({"name": "http_503", "operation": "*", "times": 0}, "'times' must be"),
        (
            {"name": "http_503", "operation": "*", "code": "X"},
            "'code' applies only to graphql_error",
        ),
        ({"name": "graphql_error", "operation": "*", "code": "x"}, "'code' must be"),
        ({"name": "graphql_error", "operation": "*", "when": 1}, "unknown field"),
    ],
)
def test_parse_fault_rejects(spec: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidFaultError, match=re.escape(message)):
        parse_fault(spec)


def test_routes_and_methods(platform: PlatformStandIn) -> None:
    assert requests.get(platform.url + "/graphql", timeout=5).status_code == 405
    assert requests.get(platform.url + "/nowhere", timeout=5).status_code == 404
    assert requests.post(platform.url + "/nowhere", timeout=5).status_code == 404
    state = requests.get(platform.url + "/api/state", timeout=5)
    assert (state.status_code, state.json()) == (200, platform.snapshot())


def test_stop_refuses_connections_and_start_keeps_port_and_memory(
    platform: PlatformStandIn,
) -> None:
    graphql(platform, HEALTH)
    port = platform.port
    platform.stop()
    with pytest.raises(requests.ConnectionError):
        graphql(platform, HEALTH)
    platform.start()
    with pytest.raises(RuntimeError, match="already runs"):
        platform.start()

    assert platform.port == port
    assert platform.operations() == ["healthCheck"]


def test_concurrent_requests_are_all_counted(platform: PlatformStandIn) -> None:
    def hit() -> None:
        for _ in range(10):
            assert graphql(platform, HEALTH).status_code == 200

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert platform.operations() == ["healthCheck"] * 80


@pytest.mark.parametrize(
    ("options", "version"),
    [([], "7.261026.0"), (["--release", "6.8.14", "--rabbitmq"], "6.8.14")],
    ids=["current", "6.x-with-rabbitmq"],
)
def test_standalone_server_prints_its_url_and_stops_on_ctrl_c(
    options: list[str], version: str
) -> None:
    command = [
        sys.executable,
        "-m",
        "connector_sandbox.platform",
        "--port",
        "0",
        "--token",
        TOKEN,
        *options,
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first_line)
        assert url, first_line
        broker_line = process.stdout.readline() if "--rabbitmq" in options else ""
        response = requests.post(
            url[0] + "/graphql",
            json={"query": HEALTH},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        )
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)

    assert first_line.startswith(f"platform stand-in ({version}) on http://127.0.0.1:")
    assert response.json() == {"data": {"about": {"version": version}}}
    assert process.returncode == 130
    assert rest.endswith("platform stand-in stopped\n")
    if broker_line:
        port = int(broker_line.rsplit(" ", 1)[1])
        assert broker_line.startswith("RabbitMQ for CONNECTOR_QUEUE_PROTOCOL=amqp")
        with (
            pytest.raises(OSError, match="refused"),
            socket.create_connection(("127.0.0.1", port), timeout=2),
        ):
            pass  # the broker stopped with the stand-in


# endregion
