"""Where ``redirect_away`` sends clients: another origin, with data of its own.

A second small server on 127.0.0.1, on a port of its own (another port is another
origin). It keeps the method, target and headers of every request it receives, so a test
can tell whether a client followed the redirect and what it sent there (the source's
X-API-Key, say), and it answers as plausibly as the source does: an id list, a valid IOC
record for any id, a PDF. A client that follows the redirect ingests that data as if the
source had sent it.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlsplit

from connector_sandbox._server import BackgroundServer
from connector_sandbox.source_data import tiny_pdf

logger = logging.getLogger(__name__)

# Every id this origin lists; the source's own ids, to be ingested in their place.
PLANTED_IDS = ("ioc-0001", "ioc-0002")
PLANTED_VALUE = "planted.example.org"
# The requests kept; older ones are dropped.
MAX_RECEIVED = 1000


@dataclass(frozen=True)
class Received:
    """One request as the other origin received it."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def planted_ioc(ioc_id: str) -> dict[str, str]:
    """What the other origin answers for ``/iocs/{id}``: valid, and not the source's."""
    return {
        "id": ioc_id,
        "value": PLANTED_VALUE,
        "type": "domain",
        "description": "Planted by another origin.",
        "created_at": "2026-01-01T00:00:00Z",
    }


class _OtherOriginHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ElsewhereIntel/1.0"
    timeout = 60
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        owner = getattr(self.server, "owner", None)
        if not isinstance(owner, OtherOrigin):
            raise TypeError("_OtherOriginHandler needs an OtherOrigin server")
        owner.record(Received(self.command, self.path, tuple(self.headers.items())))
        status, content_type, body = _answer(self.path)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET
    do_DELETE = do_GET

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def _answer(target: str) -> tuple[int, str, bytes]:
    path = unquote(urlsplit(target).path)
    kind, _, ioc_id = path.lstrip("/").partition("/")
    if path == "/iocs":
        return 200, "application/json", json.dumps({"ids": PLANTED_IDS}).encode()
    if kind == "iocs" and ioc_id:
        return 200, "application/json", json.dumps(planted_ioc(ioc_id)).encode()
    if kind == "pdf" and ioc_id:
        return 200, "application/pdf", tiny_pdf("Planted report")
    return 404, "application/json", b'{"error": "not found"}'


class OtherOrigin(BackgroundServer):
    """The other origin on 127.0.0.1; ``received()`` lists what it was sent, oldest first."""

    def __init__(self, port: int = 0) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        super().__init__(_OtherOriginHandler, port, name="other-origin")

    def record(self, request: Received) -> None:
        with self._lock:
            self._received.append(request)
            del self._received[:-MAX_RECEIVED]

    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
