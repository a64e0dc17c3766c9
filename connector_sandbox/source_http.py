"""The HTTP side of the demo source: read a request, write a reply, faults included."""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Protocol, runtime_checkable

from connector_sandbox._server import RequestBodyError, read_body
from connector_sandbox.source_replies import TRICKLE_CHUNK, Reply, error_reply
from connector_sandbox.source_wire import Head, send_wire

logger = logging.getLogger(__name__)

API_KEY_HEADER = "X-API-Key"
# Only the admin endpoints take a body: a list of fault specs.
MAX_BODY = 1024 * 1024


@runtime_checkable
class Answerer(Protocol):
    """What the handler needs from the object that owns the server: the replies, and an
    event set when the server stops, which ends the faults that trickle."""

    stopping: threading.Event

    def answer(
        self, method: str, target: str, api_key: str | None, body: bytes, client: str
    ) -> Reply: ...


class SourceHandler(BaseHTTPRequestHandler):
    """Reads a request, asks the server's owner (an ``Answerer``) for the reply, sends it."""

    # HTTP/1.1 keeps connections alive, as a real API does; every reply has a Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "DemoThreatIntel/1.0"
    # An idle kept-alive connection frees its thread after this many seconds.
    timeout = 60
    # Headers and body leave in separate writes: with Nagle's algorithm on, the client's
    # delayed ACK would add 40 ms to every reply on a kept-alive connection.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        owner = getattr(self.server, "owner", None)
        if not isinstance(owner, Answerer):
            raise TypeError("SourceHandler needs a server whose owner has answer()")
        try:
            body = self._read_body()
        except RequestBodyError as err:
            logger.info("refused the body of %s %s: %s", self.command, self.path, err)
            self.close_connection = True
            reply = error_reply(err.status, str(err))
        else:
            reply = self._answer(owner, body)
        try:
            self._send(reply, owner.stopping)
        except (BrokenPipeError, ConnectionResetError):
            # Expected with slow, trickle and the wire faults: the client gave up first.
            logger.info(
                "client left before the reply to %s %s was sent",
                self.command,
                self.path,
            )
            self.close_connection = True

    def _answer(self, owner: Answerer, body: bytes) -> Reply:
        key = self.headers.get(API_KEY_HEADER)
        try:
            return owner.answer(
                self.command, self.path, key, body, self.client_address[0]
            )
        except Exception:
            # The top of the request: a bug here must not look like a source fault.
            logger.exception("demo source failed on %s %s", self.command, self.path)
            return error_reply(500, "the demo source itself failed; see its log")

    def _read_body(self) -> bytes:
        return read_body(self, MAX_BODY)

    def _send(self, reply: Reply, stopping: threading.Event) -> None:
        if reply.wait:
            time.sleep(reply.wait)
        if reply.wire is not None:
            self.log_request(reply.status)
            phrase = self.responses.get(reply.status, ("",))[0]
            head = Head(
                f"{self.protocol_version} {reply.status} {phrase}",
                self.version_string(),
                self.date_time_string(),
            )
            # What follows such a reply can't be trusted to frame a next request.
            self.close_connection = True
            send_wire(self.wfile.write, reply, head, stopping)
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if reply.cut_at is not None:
            self.wfile.write(reply.body[: reply.cut_at])
            # No "Connection: close" was announced: the client finds out as the body falls short.
            self.close_connection = True
        elif reply.pause is not None:
            for at in range(0, len(reply.body), TRICKLE_CHUNK):
                if at and stopping.wait(reply.pause):
                    # The server stops: the body falls short, as with cut_at.
                    self.close_connection = True
                    return
                self.wfile.write(reply.body[at : at + TRICKLE_CHUNK])
        else:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def log_error(self, format: str, *args: object) -> None:
        logger.info("%s %s", self.address_string(), format % args)
