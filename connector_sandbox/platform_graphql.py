"""The GraphQL operations the platform stand-in answers, found by their operation name.

These are exactly the operations pycti's ``OpenCTIConnectorHelper`` sends for an
EXTERNAL_IMPORT connector with ``queue_protocol: api``; each answer has the shape of the
selection set pycti asks for. Variables are checked the way a GraphQL server checks them,
so a call the real platform would refuse is refused here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from connector_sandbox.platform_records import (
    Connector,
    GraphQLError,
    Work,
    invalid_bundle,
)
from connector_sandbox.platform_store import PlatformStore
from connector_sandbox.platform_variables import (
    Variables,
    bad_input,
    boolean,
    integer,
    optional_object,
    optional_str,
    required_str,
    shown,
)

# The platform release the sandbox is checked against; pycti's version follows it.
PLATFORM_VERSION = "7.261026.0"
# The connector acts as the platform's admin user, whose id is fixed in every OpenCTI.
SANDBOX_USER_ID = "88ec0c6a-13ce-5e39-b486-354fe4a7084f"
CONNECTOR_TYPES = frozenset(
    {
        "EXTERNAL_IMPORT",
        "INTERNAL_IMPORT_FILE",
        "INTERNAL_ENRICHMENT",
        "INTERNAL_ANALYSIS",
        "INTERNAL_EXPORT_FILE",
        "STREAM",
    }
)
_OPERATION = re.compile(
    r"\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)"
)
_COMMENT = re.compile(r"#[^\n\r]*")

Handler = Callable[[PlatformStore, Variables], dict[str, Any]]


def operation_name(query: str) -> str | None:
    """The name of the document's operation; None for an anonymous one such as ``{ me }``."""
    match = _OPERATION.match(_COMMENT.sub("", query))
    return match.group(1) if match else None


def execute(
    store: PlatformStore, operation: str, variables: Variables
) -> dict[str, Any]:
    """Run one operation and return its ``data``; GraphQLError for anything refused."""
    handler = OPERATIONS.get(operation)
    if handler is None:
        raise GraphQLError(
            f"The OpenCTI platform stand-in has no answer for this request: unsupported operation {operation!r}. "
            f"It answers: {', '.join(sorted(OPERATIONS))}.",
            "UNSUPPORTED_ERROR",
            genre="BUSINESS",
            data={"operation": operation},
        )
    return handler(store, variables)


# region connector operations
def _health_check(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    return {"about": {"version": PLATFORM_VERSION}}


def _register(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    connector_input = (
        optional_object(variables, "input", "RegisterConnectorInput") or {}
    )
    connector_type = required_str(connector_input, "type", "ConnectorType!")
    if connector_type not in CONNECTOR_TYPES:
        raise bad_input(
            f'Value {shown(connector_type)} does not exist in "ConnectorType" enum.'
        )
    scope = connector_input.get("scope") or []
    if not isinstance(scope, list) or not all(isinstance(s, str) for s in scope):
        raise bad_input(f'Variable "$scope" got invalid value {shown(scope)}.')
    connector = store.register(
        required_str(connector_input, "id", "ID!"),
        required_str(connector_input, "name"),
        connector_type,
        scope,
    )
    queues = _queue_names(connector.id)
    return {
        "registerConnector": {
            "id": connector.id,
            "connector_state": connector.connector_state,
            "jwks": json.dumps({"keys": []}),
            "config": {
                # There is no RabbitMQ in the sandbox: with queue_protocol "api" pycti never
                # opens this connection, it only reads it.
                "connection": {
                    "host": "127.0.0.1",
                    "vhost": "/",
                    "use_ssl": False,
                    "port": 5672,
                    "user": "none",
                    "pass": "none",
                },
                # An object, never null: pycti reads its keys (and uses none of them here).
                "s3": {
                    "endpoint": None,
                    "port": None,
                    "use_ssl": False,
                    "bucket_name": None,
                    "bucket_region": None,
                    "access_key": None,
                    "secret_key": None,
                },
                "listen_routing": f"listen_routing_{connector.id}",
                **queues,
            },
            "connector_user_id": SANDBOX_USER_ID,
        }
    }


def _queue_names(connector_id: str) -> dict[str, str]:
    return {
        "listen": f"listen_{connector_id}",
        "listen_exchange": "amqp.connector.exchange",
        "push": f"push_{connector_id}",
        "push_routing": f"push_routing_{connector_id}",
        "push_exchange": "amqp.worker.exchange",
    }


def _ping_connector(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    info = optional_object(variables, "connectorInfo", "ConnectorInfoInput")
    connector = store.ping(
        required_str(variables, "id", "ID!"), optional_str(variables, "state"), info
    )
    return {
        "pingConnector": {
            "id": connector.id,
            "connector_state": connector.connector_state,
            "connector_info": connector.connector_info,
        }
    }


def _get_connector(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    connector = store.read_connector(required_str(variables, "id"))
    return {"connector": None if connector is None else _connector_json(connector)}


def _connector_json(connector: Connector) -> dict[str, Any]:
    return {
        "id": connector.id,
        "name": connector.name,
        "active": True,
        "auto": False,
        "only_contextual": False,
        "connector_type": connector.type,
        "connector_scope": connector.scope,
        "connector_state": connector.connector_state,
        # An empty queue: a scheduled run is never held back as "buffering".
        "connector_queue_details": {"messages_number": 0, "messages_size": 0},
        "updated_at": connector.updated_at,
        "created_at": connector.created_at,
        "config": _queue_names(connector.id),
        "built_in": False,
    }


def _delete_connector(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    connector_id = required_str(variables, "id", "ID!")
    store.delete_connector(connector_id)
    return {"deleteConnector": connector_id}


# endregion


# region work operations
def _work_add(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work_id = store.add_work(
        required_str(variables, "connectorId"),
        optional_str(variables, "friendlyName") or "",
        boolean(variables, "isMultiPartWork"),
    )
    return {"workAdd": {"id": work_id}}


def _to_received(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work_id = required_str(variables, "id", "ID!")
    store.to_received(work_id, optional_str(variables, "message"))
    return {"workEdit": {"toReceived": work_id}}


def _to_processed(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work_id = required_str(variables, "id", "ID!")
    message = optional_str(variables, "message")
    store.to_processed(work_id, message, boolean(variables, "inError"))
    return {"workEdit": {"toProcessed": work_id}}


def _report_expectation(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work_id = required_str(variables, "id", "ID!")
    error = optional_object(
        variables, "error", "WorkErrorInput", frozenset({"error", "source"})
    )
    if error is not None:
        optional_str(error, "error")
        optional_str(error, "source")
    store.report_expectation(work_id, error)
    return {"workEdit": {"reportExpectation": work_id}}


def _add_expectations(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work_id = required_str(variables, "id", "ID!")
    store.add_expectations(work_id, integer(variables, "expectations"))
    return {"workEdit": {"addExpectations": work_id}}


def _ping_work(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work_id = required_str(variables, "id", "ID!")
    store.ping_work(work_id)
    return {"workEdit": {"ping": work_id}}


def _work_query(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    work = store.read_work(required_str(variables, "id", "ID!"))
    return {"work": None if work is None else _work_json(work)}


def _work_json(work: Work) -> dict[str, Any]:
    def entries(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "timestamp": item["timestamp"],
                "message": item["message"],
                "sequence": None,
                "source": item.get("source"),
            }
            for item in items
        ]

    return {
        "id": work.id,
        "name": work.name,
        "user": {"name": "admin"},
        "timestamp": work.timestamp,
        "status": work.status,
        "event_source_id": work.connector_id,
        "received_time": work.received_time,
        "processed_time": work.processed_time,
        "completed_time": work.completed_time,
        "tracking": {
            "import_expected_number": work.import_expected_number,
            "import_processed_number": work.import_processed_number,
        },
        "messages": entries(work.messages),
        "errors": entries(work.errors),
    }


def _bundle_push(store: PlatformStore, variables: Variables) -> dict[str, Any]:
    connector_id = required_str(variables, "connectorId")
    text = required_str(variables, "bundle")
    work_id = optional_str(variables, "work_id")
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as err:
        raise invalid_bundle(f"the bundle is not JSON: {err}", work_id) from err
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise invalid_bundle("Invalid stix bundle: its type is not 'bundle'", work_id)
    objects = bundle.get("objects")
    if not isinstance(objects, list) or not objects:
        raise invalid_bundle("Invalid stix bundle: no objects", work_id)
    store.push_bundle(connector_id, objects, bundle.get("id"), work_id)
    return {"stixBundlePush": True}


# endregion

OPERATIONS: dict[str, Handler] = {
    "healthCheck": _health_check,
    "RegisterConnector": _register,
    "PingConnector": _ping_connector,
    "GetConnector": _get_connector,
    "ConnectorDeletionMutation": _delete_connector,
    "workAdd": _work_add,
    "workToReceived": _to_received,
    "workToProcessed": _to_processed,
    "reportExpectation": _report_expectation,
    "addExpectations": _add_expectations,
    "pingWork": _ping_work,
    "WorkQuery": _work_query,
    "StixBundlePush": _bundle_push,
}
