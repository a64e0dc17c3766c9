"""The hostile source's faults, as they leave the server: raw sockets and http.client, every
read with a timeout, so that a fault that never ends can't hang the tests."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import zlib

import pytest
import requests

from connector_sandbox.source import DemoSource
from connector_sandbox.source_faults import FaultSpec, InvalidFaultError
from connector_sandbox.source_other_origin import PLANTED_IDS, planted_ioc
from connector_sandbox.source_replies import (
    GZIP_BOMB_BYTES,
    HUGE_TYPE_CHARS,
    LONG_ID_CHARS,
    ODD_NUMBER,
    REDIRECT_BODY_BYTES,
    TRICKLE_CHUNK,
    Reply,
    Wire,
    gzip_bomb,
    huge_type,
)
from connector_sandbox.source_wire import (
    HEAD_PADDING_LINES,
    HEAD_PIECE,
    Head,
    send_wire,
)
from tests.sandbox.source_support import AUTH, IDS_QUERY, KEY, get

PAUSE = 0.05
# How long the tests watch a trickle: long enough for several pieces, short for the suite.
WATCH = 0.5
IOC_PATH = "/iocs/ioc-0001"


class Raw:
    """A GET on a raw socket, read piece by piece: what recv() returns is what was sent."""

    def __init__(self, source: DemoSource, path: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", source.port), timeout=5)
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nX-API-Key: {KEY}\r\n\r\n".encode()
        )
        self.buffer = b""

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def head(self) -> bytes:
        """The status line and headers; what came after them stays in ``buffer``."""
        while b"\r\n\r\n" not in self.buffer:
            piece = self.sock.recv(65536)
            assert piece, f"closed before the end of the head: {self.buffer!r}"
            self.buffer += piece
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        return head

    def pieces_for(self, seconds: float) -> list[bytes]:
        """The pieces received in ``seconds`` (fewer if the server closes)."""
        pieces = [self.buffer] if self.buffer else []
        self.buffer = b""
        ends = time.monotonic() + seconds
        while (left := ends - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                piece = self.sock.recv(65536)
            except TimeoutError:
                break
            if not piece:
                break
            pieces.append(piece)
        self.sock.settimeout(5)
        return pieces

    def rest(self) -> bytes:
        """Everything until the server closes the connection."""
        received = [self.buffer]
        while piece := self.sock.recv(65536):
            received.append(piece)
        return b"".join(received)


def body_of(source: DemoSource, ioc_id: str = "ioc-0001") -> bytes:
    return json.dumps(source.ioc(ioc_id).to_json()).encode()


def chunked(data: bytes) -> bytes:
    """``data`` as trickle_chunked frames it: one byte per chunk."""
    return b"".join(b"1\r\n%s\r\n" % data[at : at + 1] for at in range(len(data)))


def test_trickle_headers_sends_the_head_a_few_bytes_at_a_time(
    source: DemoSource,
) -> None:
    source.set_faults(
        [{"name": "trickle_headers", "endpoint": "ioc", "seconds": PAUSE}]
    )

    with Raw(source, IOC_PATH) as raw:
        pieces = raw.pieces_for(WATCH)

    received = b"".join(pieces)
    assert len(pieces) >= 3
    assert max(map(len, pieces)) <= HEAD_PIECE
    # A piece per pause at most: the head is far from complete.
    assert len(received) <= HEAD_PIECE * (WATCH / PAUSE + 2)
    expected = b"HTTP/1.1 200 OK\r\nServer: DemoThreatIntel/1.0 Python/"
    assert received.startswith(expected[:20])
    assert expected.startswith(received[: len(expected)])


def test_trickle_headers_is_a_whole_reply_in_the_end(source: DemoSource) -> None:
    source.set_faults(
        [{"name": "trickle_headers", "endpoint": "ioc", "seconds": 0.001}]
    )
    connection = http.client.HTTPConnection("127.0.0.1", source.port, timeout=5)

    connection.request("GET", IOC_PATH, headers=AUTH)
    response = connection.getresponse()

    assert response.status == 200
    assert response.getheader("Content-Length") == str(len(body_of(source)))
    assert response.getheader(f"X-Padding-{HEAD_PADDING_LINES - 1:02d}") == "-" * 48
    assert response.read() == body_of(source)
    assert response.getheader("Connection") is None
    connection.close()


def test_trickle_chunked_sends_the_size_lines_a_byte_at_a_time(
    source: DemoSource,
) -> None:
    source.set_faults(
        [{"name": "trickle_chunked", "endpoint": "ioc", "seconds": PAUSE}]
    )

    with Raw(source, IOC_PATH) as raw:
        head = raw.head()
        pieces = raw.pieces_for(WATCH)

    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nTransfer-Encoding: chunked" in head
    assert b"Content-Length" not in head
    received = b"".join(pieces)
    assert len(pieces) >= 3
    # "1", "\r", then "\n" with the chunk's byte and its CRLF.
    assert all(len(piece) in (1, 4) for piece in pieces)
    assert chunked(body_of(source)).startswith(received)
    assert len(received) <= 2 * (WATCH / PAUSE + 2)


def test_trickle_chunked_pads_with_whitespace_until_its_limit() -> None:
    reply = Reply(200, b'{"a": 1}', pause=0.001, wire=Wire.TRICKLE_CHUNKED)
    written: list[bytes] = []
    started = time.monotonic()

    send_wire(
        written.append, reply, Head("HTTP/1.1 200 OK", "s", "d"), _event(), limit=0.1
    )

    assert 0.1 <= time.monotonic() - started < 2
    head, _, framed = b"".join(written).partition(b"\r\n\r\n")
    assert head.endswith(b"Transfer-Encoding: chunked")
    sizes = re.findall(rb"(.)\r\n(.)\r\n", framed, re.DOTALL)
    assert len(sizes) > len(b'{"a": 1}')
    assert {size for size, _ in sizes} == {b"1"}
    data = b"".join(byte for _, byte in sizes)
    assert data.startswith(b'{"a": 1}   ')
    assert not data.removeprefix(b'{"a": 1}').strip()
    # The body never ends: no last chunk.
    assert not framed.endswith(b"0\r\n\r\n")


def test_endless_trailers_never_end(source: DemoSource) -> None:
    source.set_faults(
        [{"name": "endless_trailers", "endpoint": "ioc", "seconds": PAUSE}]
    )
    body = body_of(source)

    with Raw(source, IOC_PATH) as raw:
        head = raw.head()
        received = b"".join(raw.pieces_for(WATCH))

    assert b"\r\nTransfer-Encoding: chunked" in head
    complete = b"%x\r\n%s\r\n0\r\n" % (len(body), body)
    assert received.startswith(complete)
    trailers = received.removeprefix(complete)
    lines = trailers.split(b"\r\n")
    assert lines[-1] == b""
    assert lines[:3] == [b"X-Trailer-0: 0", b"X-Trailer-1: 1", b"X-Trailer-2: 2"]
    assert len(lines) - 1 <= WATCH / PAUSE + 2
    assert b"\r\n\r\n" not in trailers


def test_endless_trailers_stop_at_their_limit() -> None:
    reply = Reply(200, b"{}", pause=0.001, wire=Wire.ENDLESS_TRAILERS)
    written: list[bytes] = []
    started = time.monotonic()

    send_wire(
        written.append, reply, Head("HTTP/1.1 200 OK", "s", "d"), _event(), limit=0.1
    )

    assert 0.1 <= time.monotonic() - started < 2
    framed = b"".join(written).partition(b"\r\n\r\n")[2]
    assert framed.startswith(b"2\r\n{}\r\n0\r\nX-Trailer-0: 0\r\n")
    assert not framed.endswith(b"\r\n\r\n")


def test_stopping_the_source_ends_a_trickle_at_once() -> None:
    fault = {"name": "trickle_chunked", "endpoint": "ioc", "seconds": 30}
    with DemoSource(api_key=KEY, faults=[fault]) as own, Raw(own, IOC_PATH) as raw:
        raw.head()
        started = time.monotonic()
        own.stop()
        rest = raw.rest()

    assert time.monotonic() - started < 3
    assert rest == b""


@pytest.mark.parametrize(
    ("endpoint", "path"),
    [("ioc", IOC_PATH), ("ids", f"/iocs?{IDS_QUERY}"), ("pdf", "/pdf/ioc-0002")],
)
def test_redirect_away_points_to_the_other_origin(
    source: DemoSource, endpoint: str, path: str
) -> None:
    source.set_faults([{"name": "redirect_away", "endpoint": endpoint}])

    response = get(source, path, allow_redirects=False)

    assert response.status_code == 302
    assert response.headers["Location"] == source.other_origin.url + path
    assert source.other_origin.port != source.port
    assert source.other_origin.received() == []


def test_a_client_that_follows_redirect_away_gives_the_key_and_gets_planted_data(
    source: DemoSource,
) -> None:
    source.set_faults([{"name": "redirect_away", "endpoint": "ioc"}])

    followed = get(source, IOC_PATH)
    listed = requests.get(f"{source.other_origin.url}/iocs?{IDS_QUERY}", timeout=5)

    assert followed.status_code == 200
    assert followed.url == source.other_origin.url + IOC_PATH
    assert followed.json() == planted_ioc("ioc-0001")
    assert followed.json() != source.ioc("ioc-0001").to_json()
    assert listed.json() == {"ids": list(PLANTED_IDS)}
    first, second = source.other_origin.received()
    assert (first.method, first.target) == ("GET", IOC_PATH)
    # requests drops Authorization on the way to another host, not a custom header.
    assert first.header("x-api-key") == KEY
    assert second.header("X-API-Key") is None
    source.reset_stats()
    assert source.other_origin.received() == []


def test_redirect_trickle_is_a_302_to_itself_whose_body_trickles(
    source: DemoSource,
) -> None:
    source.set_faults(
        [{"name": "redirect_trickle", "endpoint": "ioc", "seconds": PAUSE}]
    )

    with Raw(source, IOC_PATH) as raw:
        head = raw.head()
        pieces = raw.pieces_for(WATCH)

    assert head.startswith(b"HTTP/1.1 302 Found\r\n")
    assert f"\r\nLocation: {IOC_PATH}".encode() in head
    assert f"\r\nContent-Length: {REDIRECT_BODY_BYTES}".encode() in head
    received = b"".join(pieces)
    assert received.startswith(b"<!DOCTYPE html>"[: len(received)])
    assert max(map(len, pieces)) <= TRICKLE_CHUNK
    assert len(received) <= TRICKLE_CHUNK * (WATCH / PAUSE + 2)
    assert REDIRECT_BODY_BYTES // TRICKLE_CHUNK * PAUSE > 20


@pytest.mark.parametrize("endpoint", ["ids", "ioc", "pdf"])
def test_odd_retry_after_is_a_429_with_a_superscript_two(
    source: DemoSource, endpoint: str
) -> None:
    source.set_faults([{"name": "odd_retry_after", "endpoint": endpoint}])
    path = {"ids": f"/iocs?{IDS_QUERY}", "ioc": IOC_PATH, "pdf": "/pdf/ioc-0001"}

    with Raw(source, path[endpoint]) as raw:
        head = raw.head()
    response = get(source, path[endpoint])

    assert head.startswith(b"HTTP/1.1 429 Too Many Requests\r\n")
    assert b"\r\nRetry-After: \xb2\r\n" in head + b"\r\n"
    assert response.status_code == 429
    assert response.headers["Retry-After"] == ODD_NUMBER == "\u00b2"
    # The trap: it looks like a digit, and is not a number.
    assert ODD_NUMBER.isdigit()
    with pytest.raises(ValueError, match="invalid literal for int"):
        int(ODD_NUMBER)


def test_odd_content_length_sends_the_body_then_closes(source: DemoSource) -> None:
    source.set_faults([{"name": "odd_content_length", "endpoint": "ioc"}])

    with Raw(source, IOC_PATH) as raw:
        head = raw.head()
        rest = raw.rest()

    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nContent-Length: \xb2\r\n" in head + b"\r\n"
    assert head.count(b"Content-Length") == 1
    assert rest == body_of(source)


def test_gzip_bomb_is_small_and_expands_to_200_mib(source: DemoSource) -> None:
    source.set_faults([{"name": "gzip_bomb", "endpoint": "ioc"}])

    with Raw(source, IOC_PATH) as raw:
        head = raw.head()
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        compressed = raw.buffer
        while len(compressed) < length:
            compressed += raw.sock.recv(65536)

    assert b"\r\nContent-Encoding: gzip" in head
    assert b"\r\nContent-Type: application/json" in head
    assert compressed == gzip_bomb()
    assert length < 256 * 1024
    expanded = 0
    decompressor = zlib.decompressobj(31)
    data = compressed
    while data:
        piece = decompressor.decompress(data, 1024 * 1024)
        assert not piece.strip(b"\0")
        expanded += len(piece)
        data = decompressor.unconsumed_tail
    assert decompressor.eof
    assert decompressor.unused_data == b""
    assert expanded == GZIP_BOMB_BYTES


def test_gzip_bomb_on_a_pdf_is_a_pdf(source: DemoSource) -> None:
    source.set_faults([{"name": "gzip_bomb", "endpoint": "pdf"}])

    response = get(source, "/pdf/ioc-0001", stream=True)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.raw.read(1024, decode_content=True) == bytes(1024)
    response.close()


def test_odd_ids_adds_ids_no_client_should_trust(source: DemoSource) -> None:
    source.set_faults([{"name": "odd_ids", "endpoint": "ids"}])

    ids = get(source, f"/iocs?{IDS_QUERY}").json()["ids"]

    long_id = "ioc-" + "9" * (LONG_ID_CHARS - 4)
    normal = ["ioc-0001", "ioc-0002", "ioc-0003"]
    assert ids == [*normal, ".", "..", "a/b", "%2e%2e", long_id, "ioc-0001"]
    assert len(long_id) == LONG_ID_CHARS


LONG_ID = "ioc-" + "9" * (LONG_ID_CHARS - 4)


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("/iocs/.", "no IOC with id '.'"),
        ("/iocs/..", "no IOC with id '..'"),
        ("/iocs/%2e%2e", "no IOC with id '..'"),
        ("/iocs/%252e%252e", "no IOC with id '%2e%2e'"),
        ("/iocs/a/b", "no such endpoint: /iocs/a/b"),
        ("/iocs/a%2Fb", "no such endpoint: /iocs/a/b"),
        ("/pdf/..", "no IOC with id '..'"),
        (
            f"/iocs/{LONG_ID}",
            f"no IOC with id {LONG_ID[:64]!r}... (10,000 characters)",
        ),
        (
            f"/pdf/{LONG_ID}",
            f"no IOC with id {LONG_ID[:64]!r}... (10,000 characters)",
        ),
        # What a client that normalises dot segments (requests, urllib3) sends instead.
        ("/iocs/", "no such endpoint: /iocs/"),
        ("/", "no such endpoint: /"),
    ],
)
def test_the_odd_ids_are_404(source: DemoSource, target: str, error: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", source.port, timeout=5)

    connection.request("GET", target, headers=AUTH)
    response = connection.getresponse()

    assert response.status == 404
    assert json.loads(response.read()) == {"error": error}
    connection.close()


def test_requests_normalises_the_dot_segments(source: DemoSource) -> None:
    dot = get(source, "/iocs/.")
    dot_dot = get(source, "/iocs/..")

    assert dot.json() == {"error": "no such endpoint: /iocs/"}
    assert dot_dot.json() == {"error": "no such endpoint: /"}
    assert source.stats().requests == {"/iocs/": 1, "/": 1}


def test_the_duplicate_id_is_the_normal_record(source: DemoSource) -> None:
    source.set_faults([{"name": "odd_ids", "endpoint": "ids"}])

    assert get(source, IOC_PATH).json() == source.ioc("ioc-0001").to_json()


def test_huge_type_is_500000_characters(source: DemoSource) -> None:
    source.set_faults([{"name": "huge_type", "endpoint": "ioc", "id": "ioc-0002"}])

    record = get(source, "/iocs/ioc-0002").json()

    assert len(record["type"]) == HUGE_TYPE_CHARS == 500_000
    assert record["type"] == huge_type()
    assert record["type"].startswith("domaindomain")
    assert {**record, "type": "x"} == {**source.ioc("ioc-0002").to_json(), "type": "x"}
    assert get(source, "/iocs/ioc-0003").json() == source.ioc("ioc-0003").to_json()


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (
            {"name": "odd_ids", "endpoint": "ioc"},
            r"odd_ids applies only to endpoint\(s\) \['ids'\]",
        ),
        (
            {"name": "huge_type", "endpoint": "ids"},
            r"huge_type applies only to endpoint\(s\) \['ioc'\]",
        ),
        (
            {"name": "gzip_bomb", "endpoint": "ioc", "seconds": 1},
            r"'seconds' applies only to \[.*'redirect_trickle'\], not 'gzip_bomb'",
        ),
        (
            {"name": "trickle_headers", "endpoint": "ioc", "seconds": -1},
            "'seconds' must be above 0, got -1.0",
        ),
    ],
)
def test_invalid_hostile_specs_are_refused(
    source: DemoSource, spec: dict[str, object], problem: str
) -> None:
    response = requests.post(f"{source.url}/_faults", json=spec, timeout=5)

    assert response.status_code == 400
    with pytest.raises(InvalidFaultError, match=problem):
        source.set_faults([spec])


@pytest.mark.parametrize(
    ("name", "endpoints", "delay"),
    [
        ("trickle_headers", ("ids", "ioc", "pdf"), 0.5),
        ("trickle_chunked", ("ids", "ioc", "pdf"), 0.5),
        ("endless_trailers", ("ids", "ioc", "pdf"), 0.5),
        ("redirect_trickle", ("ids", "ioc", "pdf"), 0.5),
        ("redirect_away", ("ids", "ioc", "pdf"), 0.0),
        ("odd_retry_after", ("ids", "ioc", "pdf"), 0.0),
        ("odd_content_length", ("ids", "ioc", "pdf"), 0.0),
        ("gzip_bomb", ("ids", "ioc", "pdf"), 0.0),
        ("odd_ids", ("ids",), 0.0),
        ("huge_type", ("ioc",), 0.0),
    ],
)
def test_hostile_faults_apply_where_they_make_sense(
    name: str, endpoints: tuple[str, ...], delay: float
) -> None:
    for endpoint in ("ids", "ioc", "pdf"):
        if endpoint in endpoints:
            assert FaultSpec(name, endpoint).delay == delay  # type: ignore[arg-type]
        else:
            with pytest.raises(InvalidFaultError, match="applies only to"):
                FaultSpec(name, endpoint)  # type: ignore[arg-type]


def _event() -> threading.Event:
    return threading.Event()
