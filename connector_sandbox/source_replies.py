"""What the demo source answers: a normal reply, and the same reply with a fault applied.

Replies are plain values; ``source_http`` writes them to the socket, including the timing
faults (``wait``, ``pause``, ``cut_at``) that only exist on the wire, and ``source_wire``
the replies no well-behaved server sends (``wire``).
"""

from __future__ import annotations

import functools
import json
import struct
import zlib
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from connector_sandbox.source_faults import Endpoint, FaultName, FaultSpec

JSON = "application/json"
PDF = "application/pdf"
HTML = "text/html; charset=utf-8"

OVERSIZED_BYTES = 5 * 1024 * 1024
TRICKLE_CHUNK = 8
# What the gzip_bomb's body of about 200 KiB expands to.
GZIP_BOMB_BYTES = 200 * 1024 * 1024
# The length of huge_type's type, and of the longest id odd_ids adds to the list.
HUGE_TYPE_CHARS = 500_000
LONG_ID_CHARS = 10_000
# redirect_trickle's body: under the 16 KiB a careful client reads of an error body, so
# that it does read it; TRICKLE_CHUNK bytes at a time, it lasts 512 pauses.
REDIRECT_BODY_BYTES = 4096
# The value of odd_retry_after's Retry-After and odd_content_length's Content-Length: a
# superscript two, for which str.isdigit() is True and int() raises ValueError.
ODD_NUMBER = "\u00b2"

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


class Wire(StrEnum):
    """How a reply leaves when it is not a message with a true Content-Length."""

    TRICKLE_HEAD = "trickle_head"  # the head a few bytes at a time, ``pause`` apart
    TRICKLE_CHUNKED = "trickle_chunked"  # chunked, each size line a byte at a time
    ENDLESS_TRAILERS = "endless_trailers"  # chunked, then a trailer every ``pause``
    ODD_LENGTH = "odd_length"  # Content-Length: ODD_NUMBER, the body, then closed


@dataclass(frozen=True)
class Reply:
    """One HTTP answer; Content-Length is ``len(body)`` (even when ``cut_at`` lies), unless
    ``wire`` says otherwise."""

    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()
    wait: float = 0.0  # seconds to wait before the status line
    # Seconds between the pieces that trickle: the body's, TRICKLE_CHUNK bytes each, or
    # with ``wire`` the ones it names.
    pause: float | None = None
    cut_at: int | None = None  # close the connection after this many bytes of the body
    wire: Wire | None = None


def json_reply(
    data: object, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    return Reply(status, json.dumps(data).encode(), JSON, headers)


def error_reply(status: int, message: str, **details: object) -> Reply:
    return json_reply({"error": message, **details}, status)


def faulted(
    fault: FaultSpec,
    normal: Reply,
    document: dict[str, object] | None,
    *,
    target: str,
    other_origin: str,
) -> Reply:
    """``normal`` as ``fault`` spoils it; ``document`` is the JSON it encodes (None for PDF).

    ``target`` is the request's path and query; ``other_origin`` the URL of the server
    that ``redirect_away`` sends clients to.
    """
    wire = _wire_faulted(fault, normal, target, other_origin)
    if wire is not None:
        return wire
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
        case FaultName.HUGE_TYPE:
            return {**document, "type": huge_type()}
        case FaultName.ODD_IDS:
            ids = [str(item) for item in _list(document.get("ids"))]
            return {"ids": ids + odd_ids(ids)}
    raise ValueError(f"fault {name} does not change a JSON document")


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _wire_faulted(
    fault: FaultSpec, normal: Reply, target: str, other_origin: str
) -> Reply | None:
    """The reply of a fault that plays with HTTP itself; None for the other faults."""
    match fault.name:
        case FaultName.TRICKLE_HEADERS:
            return replace(normal, pause=fault.delay, wire=Wire.TRICKLE_HEAD)
        case FaultName.TRICKLE_CHUNKED:
            return replace(normal, pause=fault.delay, wire=Wire.TRICKLE_CHUNKED)
        case FaultName.ENDLESS_TRAILERS:
            return replace(normal, pause=fault.delay, wire=Wire.ENDLESS_TRAILERS)
        case FaultName.ODD_CONTENT_LENGTH:
            return replace(normal, wire=Wire.ODD_LENGTH)
        case FaultName.ODD_RETRY_AFTER:
            return json_reply(
                {"error": "rate limit exceeded, retry later"},
                429,
                (("Retry-After", ODD_NUMBER),),
            )
        case FaultName.REDIRECT_AWAY:
            location = other_origin + target
            return Reply(302, _moved_page(location), HTML, (("Location", location),))
        case FaultName.REDIRECT_TRICKLE:
            body = _moved_page(target).ljust(REDIRECT_BODY_BYTES, b" ")
            return Reply(302, body, HTML, (("Location", target),), pause=fault.delay)
        case FaultName.GZIP_BOMB:
            content_type = PDF if fault.endpoint is Endpoint.PDF else JSON
            headers = (("Content-Encoding", "gzip"),)
            return Reply(200, gzip_bomb(), content_type, headers)
    return None


def _moved_page(location: str) -> bytes:
    return (
        f"<!DOCTYPE html>\n<html><head><title>302 Found</title></head>\n"
        f"<body><p>Moved to {location}.</p></body></html>\n"
    ).encode("utf-8", "replace")


def odd_ids(ids: list[str]) -> list[str]:
    """What odd_ids adds to an id list: dot segments, a slash, an encoded dot-dot, an id of
    LONG_ID_CHARS that looks like a seeded one (over 4,300 digits: int() refuses it), and
    the first id again."""
    long_id = "ioc-" + "9" * (LONG_ID_CHARS - 4)
    return [".", "..", "a/b", "%2e%2e", long_id, *ids[:1]]


@functools.cache
def huge_type() -> str:
    """huge_type's type: ``domain`` repeated to HUGE_TYPE_CHARS characters."""
    return ("domain" * (HUGE_TYPE_CHARS // 6 + 1))[:HUGE_TYPE_CHARS]


@functools.cache
def gzip_bomb() -> bytes:
    """A single gzip member of GZIP_BOMB_BYTES zeros, about 200 KiB, built in a split second.

    Compressing 200 MiB takes seconds. But a full flush starts the compression afresh: what
    one MiB of zeros compresses to after it decodes the same wherever it is repeated. So
    the member is its first MiB (with the gzip header), the next one's block repeated, an
    empty final block, and the trailer: the CRC and size of the whole.
    """
    mib = bytes(1024 * 1024)
    count = GZIP_BOMB_BYTES // len(mib)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31, 9, zlib.Z_RLE)
    first = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    # 0x03 0x00: a final block of fixed Huffman codes holding only its end code.
    trailer = b"\x03\x00" + struct.pack("<II", crc, GZIP_BOMB_BYTES & 0xFFFFFFFF)
    return first + block * (count - 1) + trailer


def _padded(normal: Reply) -> bytes:
    """The body grown to OVERSIZED_BYTES with whitespace, so it still parses."""
    padding = b" " * max(OVERSIZED_BYTES - len(normal.body), 0)
    # Before the %%EOF trailer of a PDF, before the closing } or ] of JSON.
    if normal.content_type == PDF:
        at = normal.body.rindex(b"%%EOF")
    else:
        at = len(normal.body) - 1
    return normal.body[:at] + padding + normal.body[at:]
