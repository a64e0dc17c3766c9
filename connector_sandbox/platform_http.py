"""The HTTP side of the platform stand-in: routes, request checks, replies, auth and faults."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import urlsplit

from graphql import GraphQLSyntaxError, parse

from connector_sandbox._server import BackgroundServer, RequestBodyError, read_body
from connector_sandbox.platform_auth import Tokens
from connector_sandbox.platform_faults import (
    FaultBook,
    FaultName,
    FaultSpec,
    InvalidFaultError,
    parse_faults,
)
from connector_sandbox.platform_graphql import (
    RequestContext,
    operation_name,
    run_document,
)
from connector_sandbox.platform_html import render_page
from connector_sandbox.platform_records import (
    GraphQLError,
    forbidden_access,
    lock_error,
    work_not_alive,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024 * 1024
ANONYMOUS = "(anonymous)"
UNREADABLE = "(unreadable request)"

Reply = tuple[HTTPStatus, str, bytes]


class BadRequestError(ValueError):
    """A request the stand-in can't read; the message says why, ``status`` is the answer."""

    def __init__(
        self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST
    ) -> None:
        super().__init__(message)
        self.status = status


class DropConnectionError(ConnectionAbortedError):
    """Raised by a request observer: close the connection without answering, as a platform
    that goes down in the middle of a request does."""


RequestObserver = Callable[[str], None]


class PlatformApi(Protocol):
    """What the request handler needs from ``PlatformStandIn``."""

    def snapshot(self) -> dict[str, Any]: ...
    def faults(self) -> list[dict[str, object]]: ...
    def set_faults(self, faults: list[FaultSpec]) -> None: ...
    def clear_faults(self) -> None: ...
    def answer_graphql(
        self, body: bytes, authorization: str | None, work_id: str | None
    ) -> Reply: ...
    def record_bad_request(self, problem: str) -> None: ...


def answer_graphql(
    context: RequestContext,
    faults: FaultBook[FaultSpec],
    tokens: Tokens,
    body: bytes,
    authorization: str | None,
    work_id: str | None = None,
    observer: RequestObserver | None = None,
) -> Reply:
    """One ``POST /graphql``: read it, apply a fault, then run it as the token's user.

    ``work_id`` is the ``opencti-work-id`` header: a request made for a work that is no
    longer alive is refused before it runs, as the platform does when it builds the context.
    ``observer`` is told each operation's name before it runs; it may hold the request or
    raise DropConnectionError.
    """
    query, variables, requested = read_graphql_request(body)
    operation = fault_operation(query, requested)
    if observer is not None:
        observer(operation)
    store = context.store
    # Faults come before the auth check: they stand for a platform (or its proxy) that fails
    # whoever calls.
    fault = faults.take(lambda f: f.matches(operation))
    if fault is not None and fault.name is not FaultName.LATENCY:
        store.record_operation(operation, f"fault {fault.name.value}")
        return fault_reply(fault, operation)
    if fault is not None:
        time.sleep(fault.seconds or 0.0)
    context.user = tokens.user(authorization)
    if work_id and not context.store.work_alive(work_id):
        store.record_operation(operation, "WORK_NOT_ALIVE")
        return context_error_reply(work_not_alive())
    outcome = run_document(context, query, variables, requested)
    store.record_operation(outcome.operation or operation, outcome.code)
    return json_reply(HTTPStatus(outcome.http_status), outcome.payload)


def fault_operation(query: str, requested: str | None) -> str:
    """The operation name faults match on; a document that doesn't parse is anonymous."""
    if requested:
        return requested
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return ANONYMOUS
    return operation_name(document, None) or ANONYMOUS


def read_graphql_request(body: bytes) -> tuple[str, dict[str, Any], str | None]:
    """The query, variables and operation name of a POST body; BadRequestError if unreadable."""
    try:
        request = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BadRequestError(f"the request body is not valid JSON: {err}") from err
    if not isinstance(request, dict):
        raise BadRequestError('the request body must be a JSON object {"query": ...}')
    query = request.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BadRequestError('"query" must be a non-empty string')
    variables = request.get("variables") or {}
    if not isinstance(variables, dict):
        raise BadRequestError('"variables" must be a JSON object or null')
    requested = request.get("operationName")
    if requested is not None and not isinstance(requested, str):
        raise BadRequestError('"operationName" must be a string or null')
    return query, variables, requested


def json_reply(status: HTTPStatus, payload: object) -> Reply:
    return status, "application/json", json.dumps(payload).encode()


def graphql_error_reply(err: GraphQLError) -> Reply:
    # GraphQL servers answer 200 and put the failure in "errors", as OpenCTI does.
    return json_reply(HTTPStatus.OK, {"errors": [err.to_json()], "data": None})


def context_error_reply(err: GraphQLError) -> Reply:
    # An error thrown while Apollo builds the request's context: HTTP 500, no "data".
    return json_reply(HTTPStatus.INTERNAL_SERVER_ERROR, {"errors": [err.to_json()]})


NAMED_ERRORS = {
    FaultName.FORBIDDEN_ACCESS: forbidden_access,
    FaultName.LOCK_ERROR: lock_error,
}


def fault_reply(fault: FaultSpec, operation: str) -> Reply:
    if fault.name is FaultName.GRAPHQL_ERROR:
        message = fault.message or f"Injected fault: {operation} failed"
        return graphql_error_reply(GraphQLError(message, fault.code))
    if fault.name is FaultName.WORK_NOT_ALIVE:
        return context_error_reply(work_not_alive())
    if fault.name in NAMED_ERRORS:
        return graphql_error_reply(NAMED_ERRORS[fault.name]())
    status = (
        HTTPStatus.SERVICE_UNAVAILABLE
        if fault.name is FaultName.HTTP_503
        else HTTPStatus.INTERNAL_SERVER_ERROR
    )
    text = f"{status.value} {status.phrase} (fault injected for {operation})\n"
    return status, "text/plain; charset=utf-8", text.encode()


class Listener(BackgroundServer):
    """One listening socket of the stand-in; a new one is made for each start()."""

    def __init__(self, platform: PlatformApi, port: int) -> None:
        super().__init__(Handler, port, name="opencti-platform-stand-in")
        self.platform = platform


class Handler(BaseHTTPRequestHandler):
    """Routes requests to the ``PlatformApi`` of the listener that accepted them."""

    server_version = "OpenCTIPlatformStandIn/1.0"
    # Headers and body go out in separate writes; without this, keep-alive adds ~40 ms.
    disable_nagle_algorithm = True

    @property
    def _platform(self) -> PlatformApi:
        listener: Listener = self.server.owner  # type: ignore[attr-defined]
        return listener.platform

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            page = render_page(self._platform.snapshot())
            self._send((HTTPStatus.OK, "text/html; charset=utf-8", page.encode()))
        elif path == "/api/state":
            self._send(json_reply(HTTPStatus.OK, self._platform.snapshot()))
        elif path == "/_faults":
            self._send(json_reply(HTTPStatus.OK, self._platform.faults()))
        elif path == "/graphql":
            self._send_error(HTTPStatus.METHOD_NOT_ALLOWED, "use POST for /graphql")
        else:
            self._send_error(HTTPStatus.NOT_FOUND, f"no page at {path}")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path not in ("/graphql", "/_faults"):
            self._send_error(HTTPStatus.NOT_FOUND, f"nothing to POST to at {path}")
            return
        try:
            body = self._read_body()
            reply = (
                self._platform.answer_graphql(
                    body,
                    self.headers.get("Authorization"),
                    self.headers.get("opencti-work-id"),
                )
                if path == "/graphql"
                else self._replace_faults(body)
            )
        except DropConnectionError:
            self.close_connection = True
            return
        except BadRequestError as err:
            logger.warning("Refused a POST %s: %s", path, err)
            if path == "/graphql":
                self._platform.record_bad_request(str(err))
            self._send_error(err.status, str(err))
            return
        except Exception:
            # A bug in the stand-in: log it and answer 500; the server keeps serving.
            logger.exception("The platform stand-in failed on a POST %s", path)
            self._send_error(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "internal error in the platform stand-in (its log has the traceback)",
            )
            return
        self._send(reply)

    def do_DELETE(self) -> None:
        if urlsplit(self.path).path != "/_faults":
            self._send_error(HTTPStatus.NOT_FOUND, "only /_faults can be deleted")
            return
        self._platform.clear_faults()
        self._send(json_reply(HTTPStatus.OK, self._platform.faults()))

    def _replace_faults(self, body: bytes) -> Reply:
        try:
            faults = parse_faults(json.loads(body))
        except json.JSONDecodeError as err:
            raise BadRequestError(f"the fault spec is not valid JSON: {err}") from err
        except InvalidFaultError as err:
            raise BadRequestError(f"invalid fault spec: {err}") from err
        self._platform.set_faults(faults)
        return json_reply(HTTPStatus.OK, self._platform.faults())

    def _read_body(self) -> bytes:
        try:
            return read_body(self, MAX_BODY_BYTES)
        except RequestBodyError as err:
            raise BadRequestError(str(err), HTTPStatus(err.status)) from err

    def _send_error(self, status: HTTPStatus, message: str) -> None:
        code = "BAD_REQUEST" if status < 500 else "INTERNAL_SERVER_ERROR"
        payload = {"errors": [{"message": message, "extensions": {"code": code}}]}
        self._send(json_reply(status, payload))

    def _send(self, reply: Reply) -> None:
        status, content_type, body = reply
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # The page shows what connectors sent: forbid scripts even if escaping ever missed.
        self.send_header(
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)
