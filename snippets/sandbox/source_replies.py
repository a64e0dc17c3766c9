"""What the demo source answers: a normal reply, and the same reply with a fault applied.

Replies are plain values; ``source.py`` writes them to the socket, including the timing
faults (``wait``, ``pause``, ``cut_at``) that only exist on the wire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from snippets.sandbox.source_faults import Endpoint, FaultName, FaultSpec

JSON = "application/json"
PDF = "application/pdf"
HTML = "text/html; charset=utf-8"

OVERSIZED_BYTES = 5 * 1024 * 1024
TRICKLE_CHUNK = 8

_HTTP_ERRORS = {
    FaultName.HTTP_401: (401, "invalid or missing API key"),
    FaultName.HTTP_403: (403, "this API key may not read this resource"),
    FaultName.HTTP_404: (404, "not found"),
    FaultName.HTTP_429: (429, "rate limit exceeded, retry later"),
    FaultName.HTTP_500: (500, "internal server error"),
    FaultName.HTTP_503: (503, "service temporarily unavailable"),
}
HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\n"
    b"<body><h1>Down for maintenance</h1><p>Please try again later.</p></body></html>\n"
)
EXTRA_FIELDS = {"severity": "high", "tags": ["demo", "fake"], "sensor": "sensor-7"}


@dataclass(frozen=True)
class Reply:
    """One HTTP answer; Content-Length is always ``len(body)``, even when ``cut_at`` lies."""

    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()
    wait: float = 0.0  # seconds to wait before the status line
    pause: float | None = (
        None  # send the body TRICKLE_CHUNK bytes at a time, this far apart
    )
    cut_at: int | None = None  # close the connection after this many bytes of the body


def json_reply(
    data: object, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    return Reply(status, json.dumps(data).encode(), JSON, headers)


def error_reply(status: int, message: str, **details: object) -> Reply:
    return json_reply({"error": message, **details}, status)


def faulted(
    fault: FaultSpec, normal: Reply, document: dict[str, object] | None
) -> Reply:
    """``normal`` as ``fault`` spoils it; ``document`` is the JSON it encodes (None for PDF)."""
    if fault.name in _HTTP_ERRORS:
        status, message = _HTTP_ERRORS[fault.name]
        headers: tuple[tuple[str, str], ...] = ()
        if fault.name is FaultName.HTTP_429:
            headers = (("Retry-After", str(int(fault.delay))),)
        return json_reply({"error": message}, status, headers)
    match fault.name:
        case FaultName.SLOW:
            return replace(normal, wait=fault.delay)
        case FaultName.TRICKLE:
            return replace(normal, pause=fault.delay)
        case FaultName.RESET:
            return replace(normal, cut_at=len(normal.body) // 2)
        case FaultName.MALFORMED_JSON:
            return replace(normal, body=normal.body[: len(normal.body) // 2])
        case FaultName.HTML_200:
            return Reply(200, HTML_ERROR_PAGE, HTML)
        case FaultName.EMPTY_200:
            # A 200 even where the real answer is a 404 (an id without a PDF).
            content_type = PDF if fault.endpoint is Endpoint.PDF else JSON
            return Reply(200, b"", content_type)
        case FaultName.OVERSIZED:
            return replace(normal, body=_padded(normal))
    if document is None:
        # FaultSpec refuses JSON-only faults on the PDF endpoint, so this is a bug here.
        raise ValueError(f"fault {fault.name} needs a JSON document to spoil")
    return json_reply(_spoiled(fault.name, document))


def _spoiled(name: FaultName, document: dict[str, object]) -> object:
    match name:
        case FaultName.WRONG_SHAPE if "ids" in document:
            # A bare list where the documented answer is {"ids": [...]}.
            return document["ids"]
        case FaultName.WRONG_SHAPE:
            created = datetime.fromisoformat(str(document["created_at"]))
            # Every field but description has the wrong type: number, null, epoch seconds.
            number = int(str(document["id"]).removeprefix("ioc-"))
            epoch = int(created.timestamp())
            return {**document, "id": number, "value": None, "created_at": epoch}
        case FaultName.UNKNOWN_TYPE:
            return {
                **document,
                "type": "url",
                "value": f"http://{document['id']}.example.com/",
            }
        case FaultName.EXTRA_FIELDS:
            return {**document, **EXTRA_FIELDS}
        case FaultName.MISSING_RECOMMENDED:
            return {
                key: value for key, value in document.items() if key != "created_at"
            }
    raise ValueError(f"fault {name} does not change a JSON document")


def _padded(normal: Reply) -> bytes:
    """The body grown to OVERSIZED_BYTES with whitespace, so it still parses."""
    padding = b" " * max(OVERSIZED_BYTES - len(normal.body), 0)
    # Before the %%EOF trailer of a PDF, before the closing } or ] of JSON.
    if normal.content_type == PDF:
        at = normal.body.rindex(b"%%EOF")
    else:
        at = len(normal.body) - 1
    return normal.body[:at] + padding + normal.body[at:]
