"""The demo source's replies that no well-behaved HTTP/1.1 server sends (``Reply.wire``).

http.server writes a head in one piece, with a true Content-Length; these faults write
their bytes themselves: a head a few bytes at a time, a chunked body whose size lines
trickle, trailers that never end, a Content-Length that is not a number. Each piece comes
``pause`` seconds after the last, well within a client's read timeout, so only a deadline
on the whole answer ends them. The endless ones give up after ``WIRE_LIMIT_SECONDS`` and
close the connection, and every one stops as soon as the server does.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from connector_sandbox.source_replies import ODD_NUMBER, Reply, Wire

# How long an endless fault goes on before it closes the connection.
WIRE_LIMIT_SECONDS = 300.0
# trickle_headers sends the head this many bytes at a time...
HEAD_PIECE = 4
# ...padded with this many header lines of about 64 bytes: some 260 pauses in all.
HEAD_PADDING_LINES = 16

Write = Callable[[bytes], object]


@dataclass(frozen=True)
class Head:
    """What the handler knows of the head: ``HTTP/1.1 200 OK``, its Server and Date."""

    status_line: str
    server: str
    date: str


class _Pacer:
    """Writes pieces ``pause`` apart; stops when the server does or the limit is reached."""

    def __init__(
        self, write: Write, pause: float, stopping: threading.Event, limit: float
    ) -> None:
        self._write = write
        self._pause = pause
        self._stopping = stopping
        self._ends = time.monotonic() + limit
        self._first = True

    def send(self, piece: bytes) -> bool:
        """Write ``piece`` after the pause (none before the first); False if it stopped."""
        if not self._first:
            if self._stopping.wait(self._pause) or time.monotonic() > self._ends:
                return False
        self._first = False
        self._write(piece)
        return True

    def send_all(self, pieces: Iterable[bytes]) -> bool:
        return all(self.send(piece) for piece in pieces)


def send_wire(
    write: Write,
    reply: Reply,
    head: Head,
    stopping: threading.Event,
    *,
    limit: float = WIRE_LIMIT_SECONDS,
) -> None:
    """Write ``reply`` as its ``wire`` says; the caller closes the connection after it."""
    pacer = _Pacer(write, reply.pause or 0.0, stopping, limit)
    match reply.wire:
        case Wire.TRICKLE_HEAD:
            padding = [
                (f"X-Padding-{n:02d}", "-" * 48) for n in range(HEAD_PADDING_LINES)
            ]
            framing = [("Content-Length", str(len(reply.body))), *padding]
            whole = head_bytes(head, reply, framing)
            pieces = (
                whole[at : at + HEAD_PIECE] for at in range(0, len(whole), HEAD_PIECE)
            )
            if pacer.send_all(pieces):
                write(reply.body)
        case Wire.TRICKLE_CHUNKED:
            pacer.send(head_bytes(head, reply, [("Transfer-Encoding", "chunked")]))
            # One byte per chunk, its size line "1\r\n" a byte at a time; after the body,
            # chunks of whitespace (JSON allows it), until the limit.
            data = itertools.chain(reply.body, itertools.repeat(ord(" ")))
            pacer.send_all(
                piece
                for byte in data
                for piece in (b"1", b"\r", b"\n" + bytes([byte]) + b"\r\n")
            )
        case Wire.ENDLESS_TRAILERS:
            write(head_bytes(head, reply, [("Transfer-Encoding", "chunked")]))
            body = (
                b"%x\r\n%s\r\n" % (len(reply.body), reply.body) if reply.body else b""
            )
            # The last chunk, then trailer lines, never the blank line that ends them.
            pacer.send(body + b"0\r\n")
            pacer.send_all(b"X-Trailer-%d: %d\r\n" % (n, n) for n in itertools.count())
        case Wire.ODD_LENGTH:
            write(head_bytes(head, reply, [("Content-Length", ODD_NUMBER)]))
            write(reply.body)
        case None:
            raise ValueError("send_wire needs a reply with a wire fault")


def head_bytes(head: Head, reply: Reply, framing: list[tuple[str, str]]) -> bytes:
    """The status line and headers, ending with the blank line, as http.server encodes
    them (Latin-1: ODD_NUMBER is the single byte 0xB2)."""
    lines = [
        head.status_line,
        f"Server: {head.server}",
        f"Date: {head.date}",
        f"Content-Type: {reply.content_type}",
        *(f"{name}: {value}" for name, value in (*framing, *reply.headers)),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
