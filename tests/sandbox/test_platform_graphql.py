"""The stand-in's GraphQL as OpenCTI's: documents validated against the schema, @auth by
capability, the platform's own errors, two releases, and a worker that ingests later."""

from __future__ import annotations

import base64
import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pika
import pytest
import requests

from connector_sandbox.broker import RabbitBroker
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.platform_amqp import WORKER_EXCHANGE, push_routing
from connector_sandbox.platform_auth import CONNECTOR_ROLE
from connector_sandbox.platform_faults import InvalidFaultError, parse_fault
from connector_sandbox.platform_schema import PlatformRelease, schema_for

TOKEN = "admin-token-graphql-5c2a"
CONNECTOR_TOKEN = "connector-token-graphql-81d0"
READER_TOKEN = "reader-token-graphql-44f9"
INDICATOR_ID = "indicator--1b7a3f2e-1c4d-4c8e-9a51-0c3f9e6d2b11"

# The documents pycti sends (pycti/api/opencti_api_work.py, opencti_api_connector.py).
HEALTH = "query healthCheck { about { version } }"
REGISTER = (
    "mutation RegisterConnector($input: RegisterConnectorInput) "
    "{ registerConnector(input: $input) { id connector_state jwks config { "
    "connection { host vhost use_ssl port user pass } s3 { endpoint port use_ssl "
    "bucket_name bucket_region access_key secret_key } listen listen_routing "
    "listen_exchange push push_routing push_exchange } connector_user_id } }"
)
WORK_ADD = (
    "mutation workAdd($connectorId: String!, $friendlyName: String, $isMultiPartWork: "
    "Boolean) { workAdd(connectorId: $connectorId, friendlyName: $friendlyName, "
    "isMultiPartWork: $isMultiPartWork) { id } }"
)
PING = (
    "mutation PingConnector($id: ID!, $state: String, $connectorInfo: ConnectorInfoInput)"
    " { pingConnector(id: $id, state: $state, connectorInfo: $connectorInfo) { id } }"
)
PUSH = (
    "mutation StixBundlePush($connectorId: String!, $bundle: String!, $work_id: String)"
    " { stixBundlePush(connectorId: $connectorId, bundle: $bundle, work_id: $work_id) }"
)
WORK = "query WorkQuery($id: ID!) { work(id: $id) { id status } }"


@pytest.fixture
def platform() -> Iterator[PlatformStandIn]:
    tokens = {CONNECTOR_TOKEN: CONNECTOR_ROLE, READER_TOKEN: ["KNOWLEDGE", "MODULES"]}
    with PlatformStandIn(TOKEN, tokens=tokens) as running:
        yield running


def post(
    platform: PlatformStandIn,
    query: str,
    token: str = TOKEN,
    headers: dict[str, str] | None = None,
    **variables: object,
) -> requests.Response:
    return requests.post(
        platform.url + "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}", **(headers or {})},
        timeout=10,
    )


def first_error(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    error: dict[str, Any] = response.json()["errors"][0]
    return error


def register(platform: PlatformStandIn, token: str = TOKEN, **fields: object) -> str:
    connector_id = str(uuid.uuid4())
    given = {"id": connector_id, "name": "GraphQL test", "type": "EXTERNAL_IMPORT"}
    response = post(platform, REGISTER, token, input={**given, **fields})
    assert "errors" not in response.json(), response.text
    return connector_id


def open_work(platform: PlatformStandIn, connector_id: str) -> str:
    answer = post(platform, WORK_ADD, connectorId=connector_id, friendlyName="run")
    work_id: str = answer.json()["data"]["workAdd"]["id"]
    return work_id


def bundle(*objects: dict[str, Any]) -> str:
    return json.dumps(
        {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
    )


def indicator(stix_id: str = INDICATOR_ID) -> dict[str, Any]:
    return {
        "type": "indicator",
        "id": stix_id,
        "pattern": "[ipv4-addr:value = '1.2.3.4']",
    }


# region documents are validated as graphql-js validates them
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "query healthCheck { about { versio } }",
            'Cannot query field "versio" on type "AppInfo". Did you mean "version"?',
        ),
        (
            "query GetConnector($id: String!) { connectr(id: $id) { id } }",
            'Cannot query field "connectr" on type "Query". Did you mean "connector" '
            'or "connectors"?',
        ),
        (
            "mutation workAdd($connectorId: String!) "
            "{ workAdd(connectorId: $connectorId, isMultipart: true) { id } }",
            'Unknown argument "isMultipart" on field "Mutation.workAdd". Did you mean '
            '"isMultiPartWork"?',
        ),
    ],
    ids=["misspelled-field", "unknown-root-field", "unknown-argument"],
)
def test_a_document_the_schema_refuses_gets_the_validation_error(
    platform: PlatformStandIn, query: str, message: str
) -> None:
    error = first_error(post(platform, query, connectorId="c", id="c"))
    assert (error["message"], error["extensions"]["code"], error["name"]) == (
        message,
        "GRAPHQL_VALIDATION_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
    )
    assert "data" not in post(platform, query, id="c").json()


def test_a_document_that_does_not_parse(platform: PlatformStandIn) -> None:
    error = first_error(post(platform, "query healthCheck { about { version }"))
    assert (error["message"], error["extensions"]["code"]) == (
        "Syntax Error: Expected Name, found <EOF>.",
        "GRAPHQL_PARSE_FAILED",
    )


@pytest.mark.parametrize(
    ("connector_input", "message"),
    [
        (
            {"type": "EXTERNAL_IMPORTS"},
            'Value "EXTERNAL_IMPORTS" does not exist in "ConnectorType" enum. Did you mean the enum value "EXTERNAL_IMPORT" or "INTERNAL_IMPORT_FILE"?',
        ),
        ({"slug": 7}, "String cannot represent a non string value: 7"),
        (
            {"colour": "red"},
            'Field "colour" is not defined by type "RegisterConnectorInput".',
        ),
    ],
)
def test_variables_are_coerced_to_the_schema_s_types(
    platform: PlatformStandIn, connector_input: dict[str, object], message: str
) -> None:
    given = {"id": "c-1", "name": "ok name", "type": "EXTERNAL_IMPORT"}
    error = first_error(post(platform, REGISTER, input={**given, **connector_input}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith('Variable "$input" got invalid value ')
    assert error["message"].endswith(message)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x", "Must be at least 2 characters in length"),
        ("   ", "Value cannot have only whitespace(s)"),
    ],
)
def test_the_name_constraint_is_checked_before_anything_runs(
    platform: PlatformStandIn, name: str, message: str
) -> None:
    given = {"id": "c-1", "name": name, "type": "EXTERNAL_IMPORT"}
    error = first_error(post(platform, REGISTER, input=given))
    assert (error["message"], error["extensions"]) == (
        message,
        {
            "code": "VALIDATION_ERROR",
            "data": {"http_status": 500, "genre": "BUSINESS", "field": "name"},
        },
    )
    assert platform.snapshot()["connectors"] == []


def test_a_date_time_that_is_not_one(platform: PlatformStandIn) -> None:
    connector_id = register(platform)
    info = {
        "run_and_terminate": True,
        "buffering": False,
        "queue_threshold": 500.0,
        "queue_messages_size": 0.0,
        "next_run_datetime": "tomorrow",
    }
    error = first_error(post(platform, PING, id=connector_id, connectorInfo=info))
    assert error["message"] == (
        'Variable "$connectorInfo" got invalid value "tomorrow" at '
        '"connectorInfo.next_run_datetime"; DateTime cannot represent an invalid '
        "date-time-string tomorrow."
    )


def test_registration_answers_a_schema_valid_s3_block(
    platform: PlatformStandIn,
) -> None:
    given = {"id": str(uuid.uuid4()), "name": "S3 reader", "type": "EXTERNAL_IMPORT"}
    config = post(platform, REGISTER, input=given).json()["data"]["registerConnector"][
        "config"
    ]
    assert None not in config["s3"].values()
    assert set(config["s3"]) == {
        "endpoint",
        "port",
        "use_ssl",
        "bucket_name",
        "bucket_region",
        "access_key",
        "secret_key",
    }


# endregion


# region two releases
def test_both_releases_build_and_differ_by_what_pycti_7_sends() -> None:
    current = schema_for(PlatformRelease.CURRENT)
    old = schema_for(PlatformRelease.V6)
    register_input_current = current.get_type("RegisterConnectorInput").fields  # type: ignore[union-attr]
    register_input_old = old.get_type("RegisterConnectorInput").fields  # type: ignore[union-attr]
    assert set(register_input_current) - set(register_input_old) == {
        "version",
        "slug",
        "xtm_one_intent",
    }
    work_add = old.mutation_type.fields["workAdd"]  # type: ignore[union-attr]
    assert "isMultiPartWork" not in work_add.args
    assert "s3" not in old.get_type("ConnectorConfig").fields  # type: ignore[union-attr]


def test_the_6x_release_refuses_pycti_7_s_work_add() -> None:
    with PlatformStandIn(TOKEN, release=PlatformRelease.V6) as old:
        version = post(old, HEALTH).json()["data"]["about"]["version"]
        error = first_error(post(old, WORK_ADD, connectorId="c", isMultiPartWork=True))
    assert version == "6.8.14"
    assert (
        error["message"]
        == 'Unknown argument "isMultiPartWork" on field "Mutation.workAdd".'
    )


# endregion


# region @auth, by capability
def test_the_connector_role_can_do_what_a_connector_does(
    platform: PlatformStandIn,
) -> None:
    connector_id = register(platform, CONNECTOR_TOKEN)
    work_id = open_work(platform, connector_id)
    pushed = post(
        platform,
        PUSH,
        CONNECTOR_TOKEN,
        connectorId=connector_id,
        bundle=bundle(indicator()),
        work_id=work_id,
    )
    read = post(platform, WORK, CONNECTOR_TOKEN, id=work_id)
    assert pushed.json() == {"data": {"stixBundlePush": True}}
    # MODULES_MODMANAGE contains MODULES: the platform matches capabilities by substring.
    assert read.json()["data"]["work"]["id"] == work_id


def test_a_user_without_connectorapi_is_forbidden_on_the_field(
    platform: PlatformStandIn,
) -> None:
    given = {"id": str(uuid.uuid4()), "name": "reader", "type": "EXTERNAL_IMPORT"}
    response = post(platform, REGISTER, READER_TOKEN, input=given)
    error = first_error(response)
    assert (error["message"], error["path"], error["extensions"]) == (
        "You are not allowed to do this.",
        ["registerConnector"],
        {
            "code": "FORBIDDEN_ACCESS",
            "data": {"http_status": 403, "genre": "TECHNICAL"},
        },
    )
    assert response.json()["data"] == {"registerConnector": None}
    # Any logged-in user may read the version.
    assert post(platform, HEALTH, READER_TOKEN).json() == {
        "data": {"about": {"version": PlatformRelease.CURRENT.version}}
    }


def test_an_extra_token_must_differ_from_the_admin_s() -> None:
    with pytest.raises(ValueError, match="differ from the admin token"):
        PlatformStandIn(TOKEN, tokens={TOKEN: ["KNOWLEDGE"]})


# endregion


# region the platform's own errors
def test_a_request_for_a_work_no_longer_alive_is_refused_before_it_runs(
    platform: PlatformStandIn,
) -> None:
    response = post(platform, HEALTH, headers={"opencti-work-id": "work_gone"})
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "Work is no longer alive, no request can be done within the "
                "context of this work",
                "name": "WORK_NOT_ALIVE",
                "extensions": {
                    "code": "WORK_NOT_ALIVE",
                    "data": {"http_status": 400, "genre": "BUSINESS"},
                },
            }
        ]
    }


@pytest.mark.parametrize(
    ("fault", "status", "code", "message"),
    [
        (
            "forbidden_access",
            200,
            "FORBIDDEN_ACCESS",
            "You are not allowed to do this.",
        ),
        (
            "lock_error",
            200,
            "LOCK_ERROR",
            "Execution timeout, too many concurrent call on the same entities",
        ),
        (
            "work_not_alive",
            500,
            "WORK_NOT_ALIVE",
            "Work is no longer alive, no request can be done within the context of this work",
        ),
    ],
)
def test_named_faults_answer_the_platform_s_error(
    platform: PlatformStandIn, fault: str, status: int, code: str, message: str
) -> None:
    platform.set_faults({"name": fault, "operation": "healthCheck", "times": 1})
    failed = post(platform, HEALTH)
    assert failed.status_code == status
    error = failed.json()["errors"][0]
    assert (error["message"], error["extensions"]["code"]) == (message, code)
    assert post(platform, HEALTH).json()["data"]["about"]["version"]


def test_latency_answers_late_but_answers(platform: PlatformStandIn) -> None:
    platform.set_faults({"name": "latency", "operation": "healthCheck", "seconds": 0.3})
    started = time.monotonic()
    answer = post(platform, HEALTH)
    assert time.monotonic() - started >= 0.3
    assert answer.json()["data"]["about"]["version"]
    with pytest.raises(requests.ReadTimeout):
        requests.post(
            platform.url + "/graphql",
            json={"query": HEALTH},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=0.1,
        )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"name": "latency", "operation": "*"}, "'seconds' must be a number above 0"),
        ({"name": "latency", "operation": "*", "seconds": 0}, "'seconds' must be"),
        (
            {"name": "http_500", "operation": "*", "seconds": 1},
            "'seconds' applies only",
        ),
        (
            {"name": "worker_slow", "operation": "workAdd", "seconds": 1},
            "leave 'operation' out",
        ),
        (
            {"name": "lock_error", "operation": "*", "message": "m"},
            "'message' applies only",
        ),
    ],
)
def test_new_fault_specs_are_checked(spec: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidFaultError, match=message):
        parse_fault(spec)


# endregion


# region the worker ingests later
SECOND_ID = "indicator--6c3c4a70-2f1b-4b52-8d3e-7a1f0b9c2d44"


def push_to_a_new_work(platform: PlatformStandIn, *objects: dict[str, Any]) -> str:
    """Register a connector, open a work and push one bundle of ``objects`` to it."""
    connector_id = register(platform)
    work_id = open_work(platform, connector_id)
    pushed = post(
        platform,
        PUSH,
        connectorId=connector_id,
        bundle=bundle(*objects),
        work_id=work_id,
    )
    assert pushed.json() == {"data": {"stixBundlePush": True}}
    return work_id


def test_a_pushed_bundle_is_expected_at_once_and_ingested_later(
    platform: PlatformStandIn,
) -> None:
    platform.set_faults({"name": "worker_slow", "seconds": 0.5})
    work_id = push_to_a_new_work(platform, indicator(), indicator(SECOND_ID))
    post(
        platform,
        "mutation workToProcessed($id: ID!) { workEdit(id: $id) { toProcessed } }",
        id=work_id,
    )

    pending = platform.work(work_id)
    assert (
        pending["status"],
        pending["import_expected_number"],
        pending["import_processed_number"],
    ) == ("progress", 2, 0)
    assert platform.settle(timeout=10)
    done = platform.work(work_id)
    assert (done["status"], done["import_processed_number"], done["errors"]) == (
        "complete",
        2,
        [],
    )


@pytest.mark.parametrize(
    ("objects", "error"),
    [
        (
            [{"type": "indicator", "id": "indicator--nope"}],
            "Invalid object: indicator has no valid STIX id",
        ),
        ([{"id": INDICATOR_ID}], "Invalid object: missing type"),
        (
            [
                {
                    "type": "relationship",
                    "id": "relationship--0e3c4a70-2f1b-4b52-8d3e-7a1f0b9c2d44",
                    "source_ref": INDICATOR_ID,
                    "target_ref": "malware--9c3c4a70-2f1b-4b52-8d3e-7a1f0b9c2d44",
                }
            ],
            f"Element(s) not found: source_ref {INDICATOR_ID}",
        ),
    ],
)
def test_the_worker_reports_what_the_platform_refuses_on_the_work(
    platform: PlatformStandIn, objects: list[dict[str, Any]], error: str
) -> None:
    work_id = push_to_a_new_work(platform, *objects)
    assert platform.settle()
    (reported,) = platform.work(work_id)["errors"]
    assert reported["message"] == error


def test_worker_error_fails_each_part_with_its_message(
    platform: PlatformStandIn,
) -> None:
    platform.set_faults({"name": "worker_error", "times": 1})
    work_id = push_to_a_new_work(platform, indicator(), indicator(SECOND_ID))
    assert platform.settle()
    work = platform.work(work_id)
    assert [(e["message"], e["source"]) for e in work["errors"]] == [
        ("Element(s) not found", INDICATOR_ID)
    ]
    assert work["status"] == "complete"  # an error is a reported expectation too


# endregion


# region amqp: pycti's messages on a real RabbitMQ
def publish(broker: RabbitBroker, connector_id: str, body: bytes) -> None:
    connection = pika.BlockingConnection(broker.parameters())
    try:
        connection.channel().basic_publish(
            WORKER_EXCHANGE, push_routing(connector_id), body
        )
    finally:
        connection.close()


def pycti_message(work_id: str, *objects: dict[str, Any]) -> bytes:
    # The shape of pycti's OpenCTIConnectorHelper._send_bundle.
    content = base64.b64encode(bundle(*objects).encode()).decode()
    message: dict[str, object] = {
        "bundle_type": "QUEUE_BUNDLE",
        "applicant_id": None,
        "action_sequence": 1,
        "entities_types": [],
        "content": content,
        "update": False,
        "draft_id": None,
        "no_split": False,
        "work_id": work_id,
    }
    return json.dumps(message).encode()


def test_the_worker_consumes_the_connector_s_queue(
    rabbit_broker: RabbitBroker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="connector_sandbox.platform_amqp")
    with PlatformStandIn(TOKEN, broker=rabbit_broker) as platform:
        answer = post(
            platform,
            REGISTER,
            input={"id": str(uuid.uuid4()), "name": "amqp", "type": "EXTERNAL_IMPORT"},
        )
        config = answer.json()["data"]["registerConnector"]["config"]
        connector_id = answer.json()["data"]["registerConnector"]["id"]
        work_id = open_work(platform, connector_id)
        post(
            platform,
            "mutation addExpectations($id: ID!, $expectations: Int) { workEdit(id: $id) { addExpectations(expectations: $expectations) } }",
            id=work_id,
            expectations=1,
        )
        publish(rabbit_broker, connector_id, b"not json")
        publish(rabbit_broker, connector_id, pycti_message(work_id, indicator()))
        assert platform.settle(timeout=20, work_ids=[work_id])
        work = platform.work(work_id)

    assert config["connection"]["port"] == rabbit_broker.port
    assert (config["push_exchange"], config["push_routing"]) == (
        WORKER_EXCHANGE,
        push_routing(connector_id),
    )
    assert (work["import_processed_number"], work["errors"]) == (1, [])
    assert platform.objects(connector_id, work_id) == [indicator()]
    assert "Worker stand-in dropped a message" in caplog.text


# endregion
