"""The platform stand-in's GraphQL: documents run by graphql-core on OpenCTI's schema.

``run_document`` parses, validates and executes one request against the schema of the
stand-in's release (``platform_schema``); ``@auth`` is checked for every field resolved.
The resolvers below are bound to the schema's fields, so any operation pycti (or anyone)
writes is answered if the real platform would answer it, and refused with the real
platform's error if not.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLSchema,
    OperationDefinitionNode,
    execute_sync,
    parse,
    validate,
)
from graphql import (
    GraphQLError as CoreGraphQLError,
)
from graphql import (
    GraphQLResolveInfo as CoreResolveInfo,
)

from connector_sandbox.platform_auth import User
from connector_sandbox.platform_records import (
    Connector,
    GraphQLError,
    Work,
    auth_required,
    forbidden_access,
    invalid_bundle,
    unsupported,
)
from connector_sandbox.platform_schema import (
    ConstraintViolationError,
    PlatformRelease,
    field_auth,
    schema_for,
)
from connector_sandbox.platform_store import PlatformStore
from connector_sandbox.platform_worker import Part, Worker

logger = logging.getLogger(__name__)


class ConnectorQueues(Protocol):
    """Where a connector's bundles go over amqp: the broker the stand-in hands out."""

    def connection(self) -> dict[str, Any]: ...
    def declare(self, connector_id: str) -> None: ...


@dataclass
class RequestContext:
    store: PlatformStore
    worker: Worker
    user: User | None
    release: PlatformRelease
    queues: ConnectorQueues | None


Info = CoreResolveInfo  # what every resolver gets; its context is a RequestContext


@dataclass(frozen=True)
class Outcome:
    """What one request came to: the GraphQL response and how to log it."""

    operation: str | None
    payload: dict[str, Any]
    http_status: int
    code: str  # "ok", or the first error's code


def operation_name(document: DocumentNode, requested: str | None) -> str | None:
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if requested is not None:
        return requested
    if len(operations) == 1 and operations[0].name is not None:
        return operations[0].name.value
    return None


def run_document(
    context: RequestContext,
    query: str,
    variables: dict[str, Any],
    requested_operation: str | None = None,
) -> Outcome:
    """Parse, validate and execute one request, as OpenCTI's GraphQL endpoint does."""
    schema = executable_schema(context.release)
    try:
        document = parse(query)
    except CoreGraphQLError as err:
        return _refused(None, [err], "GRAPHQL_PARSE_FAILED")
    operation = operation_name(document, requested_operation)
    errors = validate(schema, document)
    if errors:
        return _refused(operation, errors, "GRAPHQL_VALIDATION_FAILED")
    result = execute_sync(
        schema,
        document,
        context_value=context,
        variable_values=variables,
        operation_name=requested_operation,
        middleware=[_check_auth],
    )
    return _answer(operation, result)


# The platform answers every response that has errors with HTTP 200, those Apollo would
# answer 400 included (graphql/httpResponsePlugin).
def _refused(
    operation: str | None, errors: list[CoreGraphQLError], code: str
) -> Outcome:
    payload = {"errors": [_core_error_json(err, code) for err in errors]}
    return Outcome(operation, payload, 200, code)


def _answer(operation: str | None, result: ExecutionResult) -> Outcome:
    if not result.errors:
        return Outcome(operation, {"data": result.data}, 200, "ok")
    formatted = [_error_json(err) for err in result.errors]
    first = formatted[0]["extensions"]["code"]
    payload: dict[str, Any] = {"errors": formatted}
    if result.data is not None:
        payload["data"] = result.data
    return Outcome(operation, payload, 200, first)


def _error_json(err: CoreGraphQLError) -> dict[str, Any]:
    original = err.original_error
    if isinstance(original, GraphQLError):
        return {**_core_error_json(err, original.code), **original.to_json()}
    if isinstance(original, ConstraintViolationError):
        violation = GraphQLError(
            original.message,
            "VALIDATION_ERROR",
            genre="BUSINESS",
            data={"field": original.field_name},
        )
        return {"message": violation.message, **violation.to_json()}
    if original is None or isinstance(original, CoreGraphQLError):
        # Variables that don't fit their types, refused by graphql-core as by graphql-js.
        return _core_error_json(err, "BAD_USER_INPUT")
    # A resolver that raised something else: a bug of the stand-in's, logged with its
    # traceback and answered as OpenCTI answers an unexpected error.
    # It reaches here as a result, not as an exception in flight: there is no except.
    logger.error(  # connector-lint: ignore[OCE005] an unexpected error, with its traceback
        "The platform stand-in failed on %s", err.path, exc_info=original
    )
    return _core_error_json(err, "INTERNAL_SERVER_ERROR")


def _core_error_json(err: CoreGraphQLError, code: str) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(err.formatted)
    formatted["message"] = js_quotes(formatted["message"])
    formatted["extensions"] = {**formatted.get("extensions", {}), "code": code}
    # The platform repeats the code at the top level, where pycti looks first.
    formatted["name"] = code
    return formatted


# graphql-core words its messages as graphql-js 16 does, which OpenCTI runs, but quotes
# with ' where graphql-js uses ".
_QUOTED = re.compile(r"'([^'\n]*)'")


def js_quotes(message: str) -> str:
    """The message as graphql-js quotes it."""
    return _QUOTED.sub(r'"\1"', message)


# region @auth
def _check_auth(next_: Callable[..., Any], root: Any, info: Info, **args: Any) -> Any:
    auth = field_auth(info.schema, info.parent_type.name, info.field_name)
    if auth is not None:
        user: User | None = info.context.user
        if user is None:
            raise auth_required()
        if not user.may(auth):
            raise forbidden_access()
    return next_(root, info, **args)


# endregion


# region connector operations
def _about(root: object, info: Info) -> dict[str, Any]:
    return {"version": info.context.release.version}


def _register(
    root: object, info: Info, input: dict[str, Any] | None = None
) -> dict[str, Any]:
    context: RequestContext = info.context
    connector_input = input or {}
    connector = context.store.register(
        connector_input["id"],
        connector_input["name"],
        connector_input["type"],
        list(connector_input.get("scope") or []),
    )
    if context.queues is not None:
        context.queues.declare(connector.id)
    return {
        **_connector_json(connector),
        "jwks": json.dumps({"keys": []}),
        "config": {
            **_queue_names(connector.id),
            "connection": _connection(context),
            # No S3 in the sandbox: a bucket pycti never writes to unless told to.
            "s3": {
                "endpoint": "127.0.0.1",
                "port": 9000,
                "use_ssl": False,
                "bucket_name": "opencti-bucket",
                "bucket_region": "us-east-1",
                "access_key": "sandbox",
                "secret_key": "sandbox-s3-secret",
            },
            "listen_routing": f"listen_routing_{connector.id}",
        },
        "connector_user_id": context.user.id if context.user else None,
    }


def _connection(context: RequestContext) -> dict[str, Any]:
    if context.queues is not None:
        return context.queues.connection()
    # No broker: with queue_protocol "api" pycti reads this and never connects.
    return {
        "host": "127.0.0.1",
        "vhost": "/",
        "use_ssl": False,
        "port": 5672,
        "user": "none",
        "pass": "none",
    }


def _queue_names(connector_id: str) -> dict[str, str]:
    return {
        "listen": f"listen_{connector_id}",
        "listen_exchange": "amqp.connector.exchange",
        "push": f"push_{connector_id}",
        "push_routing": f"push_routing_{connector_id}",
        "push_exchange": "amqp.worker.exchange",
    }


def _ping_connector(
    root: object,
    info: Info,
    id: str,
    state: str | None = None,
    connectorInfo: dict[str, Any] | None = None,  # noqa: N803  (the schema's name)
) -> dict[str, Any]:
    connector = info.context.store.ping(id, state, _json_ready(connectorInfo))
    return _connector_json(connector)


def _json_ready(info: dict[str, Any] | None) -> dict[str, Any] | None:
    # DateTime values come parsed: keep them as the ISO text the platform stores.
    if info is None:
        return None
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in info.items()}


def _get_connector(root: object, info: Info, id: str) -> dict[str, Any] | None:
    connector = info.context.store.read_connector(id)
    return None if connector is None else _connector_json(connector)


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
        "connector_info": connector.connector_info,
        # An empty queue: a scheduled run is never held back as "buffering".
        "connector_queue_details": {"messages_number": 0, "messages_size": 0},
        "updated_at": connector.updated_at,
        "created_at": connector.created_at,
        "config": _queue_names(connector.id),
        "built_in": False,
    }


def _delete_connector(root: object, info: Info, id: str) -> str:
    info.context.store.delete_connector(id)
    return id


# endregion


# region work operations
def _work_add(
    root: object,
    info: Info,
    connectorId: str,  # noqa: N803
    friendlyName: str | None = None,  # noqa: N803
    isMultiPartWork: bool | None = None,  # noqa: N803
) -> dict[str, Any]:
    store: PlatformStore = info.context.store
    work_id = store.add_work(connectorId, friendlyName or "", bool(isMultiPartWork))
    work = store.read_work(work_id)
    assert work is not None  # just made, under the store's lock
    return _work_json(work)


def _work_edit(root: object, info: Info, id: str) -> str:
    return id


def _to_received(work_id: str, info: Info, message: str | None = None) -> str:
    info.context.store.to_received(work_id, message)
    return work_id


def _to_processed(
    work_id: str,
    info: Info,
    message: str | None = None,
    inError: bool | None = None,  # noqa: N803
) -> str:
    info.context.store.to_processed(work_id, message, bool(inError))
    return work_id


def _report_expectation(
    work_id: str, info: Info, error: dict[str, Any] | None = None
) -> str:
    info.context.store.report_expectation(work_id, error)
    return work_id


def _add_expectations(work_id: str, info: Info, expectations: int | None = None) -> str:
    info.context.store.add_expectations(work_id, expectations or 0)
    return work_id


def _ping_work(work_id: str, info: Info) -> str:
    info.context.store.ping_work(work_id)
    return work_id


def _work_query(root: object, info: Info, id: str) -> dict[str, Any] | None:
    work = info.context.store.read_work(id)
    return None if work is None else _work_json(work)


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


def _bundle_push(
    root: object,
    info: Info,
    bundle: str,
    connectorId: str,  # noqa: N803
    work_id: str | None = None,
) -> bool:
    context: RequestContext = info.context
    objects, bundle_id = _bundle_objects(bundle, work_id)
    accepted_for = context.store.accept_bundle(connectorId, objects, bundle_id, work_id)
    for obj in objects:
        context.worker.put(Part(accepted_for, (obj,)))
    return True


def _bundle_objects(text: str, work_id: str | None) -> tuple[list[Any], object]:
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as err:
        logger.info("stixBundlePush: the bundle is not JSON: %s", err)
        raise invalid_bundle(None) from err
    if not isinstance(bundle, dict):
        raise invalid_bundle(unsupported("Invalid stix bundle", work_id=work_id))
    objects = bundle.get("objects")
    if bundle.get("type") != "bundle" or not isinstance(objects, list) or not objects:
        raise invalid_bundle(unsupported("Invalid stix bundle", work_id=work_id))
    return objects, bundle.get("id")


# endregion

RESOLVERS: dict[str, dict[str, Callable[..., Any]]] = {
    "Query": {"about": _about, "connector": _get_connector, "work": _work_query},
    "Mutation": {
        "registerConnector": _register,
        "pingConnector": _ping_connector,
        "deleteConnector": _delete_connector,
        "workAdd": _work_add,
        "workEdit": _work_edit,
        "stixBundlePush": _bundle_push,
    },
    "WorkEditMutations": {
        "toReceived": _to_received,
        "toProcessed": _to_processed,
        "reportExpectation": _report_expectation,
        "addExpectations": _add_expectations,
        "ping": _ping_work,
    },
}


@cache
def executable_schema(release: PlatformRelease) -> GraphQLSchema:
    """The release's schema with the resolvers bound; a name it lacks is a bug here."""
    schema = schema_for(release)
    for type_name, fields in RESOLVERS.items():
        graphql_type = schema.get_type(type_name)
        for field_name, resolver in fields.items():
            graphql_type.fields[field_name].resolve = resolver  # type: ignore[union-attr]
    return schema
