"""The HTTP side of the platform stand-in: routes, request checks, replies, auth and faults."""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import urlsplit

from connector_sandbox._server import BackgroundServer
from connector_sandbox.platform_faults import (
    FaultBook,
    FaultName,
    FaultSpec,
    InvalidFaultError,
    parse_faults,
)
from connector_sandbox.platform_graphql import execute, operation_name
from connector_sandbox.platform_html import render_page
from connector_sandbox.platform_records import GraphQLError
from connector_sandbox.platform_store import PlatformStore

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024 * 1024
ANONYMOUS = "(anonymous)"
UNREADABLE = "(unreadable request)"
# The platform's answer to a missing or wrong token (config/errors.ts: AuthRequired).
AUTH_REQUIRED = GraphQLError(
    "You must be logged in to do this.", "AUTH_REQUIRED", http_status=401
)

Reply = tuple[HTTPStatus, str, bytes]


class BadRequestError(ValueError):
    """A request the stand-in can't read; the message says why, ``status`` is the answer."""

    def __init__(
        self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST
    ) -> None:
        super().__init__(message)
        self.status = status


class PlatformApi(Protocol):
    """What the request handler needs from ``PlatformStandIn``."""

    def snapshot(self) -> dict[str, Any]: ...
    def faults(self) -> list[dict[str, object]]: ...
    def set_faults(self, faults: list[FaultSpec]) -> None: ...
    def clear_faults(self) -> None: ...
    def answer_graphql(self, body: bytes, authorization: str | None) -> Reply: ...
    def record_bad_request(self, problem: str) -> None: ...


def answer_graphql(
    store: PlatformStore,
    faults: FaultBook,
    token: str,
    body: bytes,
    authorization: str | None,
) -> Reply:
    """One ``POST /graphql``: read it, apply a fault or the auth check, then run it."""
    query, variables = read_graphql_request(body)
    operation = operation_name(query) or ANONYMOUS
    # Faults come before the auth check: they stand for a platform (or its proxy) that fails
    # whoever calls.
    fault = faults.take(operation)
    if fault is not None:
        store.record_operation(operation, f"fault {fault.name.value}")
        return fault_reply(fault, operation)
    expected = f"Bearer {token}".encode()
    if not hmac.compare_digest((authorization or "").encode(), expected):
        store.record_operation(operation, AUTH_REQUIRED.code)
        return graphql_error_reply(AUTH_REQUIRED)
    try:
        data = execute(store, operation, variables)
    except GraphQLError as err:
        store.record_operation(operation, err.code)
        return graphql_error_reply(err)
    store.record_operation(operation, "ok")
    return json_reply(HTTPStatus.OK, {"data": data})


def read_graphql_request(body: bytes) -> tuple[str, dict[str, Any]]:
    """The query and variables of a GraphQL POST body; BadRequestError says what is wrong."""
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
    return query, variables


def json_reply(status: HTTPStatus, payload: object) -> Reply:
    return status, "application/json", json.dumps(payload).encode()


def graphql_error_reply(err: GraphQLError) -> Reply:
    # GraphQL servers answer 200 and put the failure in "errors", as OpenCTI does.
    return json_reply(HTTPStatus.OK, {"errors": [err.to_json()], "data": None})


def fault_reply(fault: FaultSpec, operation: str) -> Reply:
    if fault.name is FaultName.GRAPHQL_ERROR:
        message = fault.message or f"Injected fault: {operation} failed"
        return graphql_error_reply(GraphQLError(message, fault.code))
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
                self._platform.answer_graphql(body, self.headers.get("Authorization"))
                if path == "/graphql"
                else self._replace_faults(body)
            )
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
        length = self.headers.get("Content-Length")
        if length is None:
            raise BadRequestError(
                "a Content-Length header is required", HTTPStatus.LENGTH_REQUIRED
            )
        if not length.isdigit():
            raise BadRequestError(f"invalid Content-Length {length[:20]!r}")
        if int(length) > MAX_BODY_BYTES:
            raise BadRequestError(
                f"the body is over {MAX_BODY_BYTES} bytes",
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
        return self.rfile.read(int(length))

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
