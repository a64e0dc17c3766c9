"""Each fault the demo source injects, as a client sees it over HTTP or a raw socket."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from connector_sandbox.source import DemoSource
from connector_sandbox.source_faults import Endpoint, FaultName, FaultSpec
from connector_sandbox.source_replies import (
    EXTRA_FIELDS,
    OVERSIZED_BYTES,
    TRICKLE_CHUNK,
)
from tests.sandbox.source_support import IDS_QUERY, KEY, get, pdf_id


def raw_get(source: DemoSource, path: str) -> tuple[bytes, list[bytes]]:
    """The response head, and the body as the pieces recv() returned until the server closed."""
    with socket.create_connection(("127.0.0.1", source.port), timeout=5) as conn:
        conn.sendall(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nX-API-Key: {KEY}\r\n\r\n".encode()
        )
        received = b""
        while b"\r\n\r\n" not in received:
            received += conn.recv(65536)
        head, _, first = received.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        pieces = [first] if first else []
        while sum(map(len, pieces)) < length and (piece := conn.recv(65536)):
            pieces.append(piece)
    return head, pieces


@pytest.mark.parametrize(
    ("name", "status", "error"),
    [
        ("http_401", 401, "invalid or missing API key"),
        ("http_403", 403, "this API key may not read this resource"),
        ("http_404", 404, "not found"),
        ("http_429", 429, "rate limit exceeded, retry later"),
        ("http_500", 500, "internal server error"),
        ("http_503", 503, "service temporarily unavailable"),
    ],
)
@pytest.mark.parametrize(
    ("endpoint", "path"),
    [
        ("ids", f"/iocs?{IDS_QUERY}"),
        ("ioc", "/iocs/ioc-0001"),
        ("pdf", "/pdf/ioc-0001"),
    ],
)
def test_http_error_faults(
    source: DemoSource, name: str, status: int, error: str, endpoint: str, path: str
) -> None:
    source.set_faults([{"name": name, "endpoint": endpoint}])

    response = get(source, path)

    assert response.status_code == status
    assert response.json() == {"error": error}
    assert response.headers.get("Retry-After") == ("1" if name == "http_429" else None)


def test_retry_after_follows_seconds(source: DemoSource) -> None:
    source.set_faults([FaultSpec(FaultName.HTTP_429, Endpoint.IOC, seconds=2)])

    assert get(source, "/iocs/ioc-0001").headers["Retry-After"] == "2"


def test_slow_answers_after_the_delay(source: DemoSource) -> None:
    source.set_faults(
        [{"name": "slow", "endpoint": "ioc", "id": "ioc-0001", "seconds": 0.3}]
    )

    with pytest.raises(requests.exceptions.ReadTimeout, match="Read timed out"):
        get(source, "/iocs/ioc-0001", timeout=0.05)
    started = time.monotonic()
    response = get(source, "/iocs/ioc-0001")

    assert time.monotonic() - started >= 0.3
    assert response.json() == source.ioc("ioc-0001").to_json()


def test_trickle_sends_the_body_in_small_pieces(source: DemoSource) -> None:
    source.set_faults([{"name": "trickle", "endpoint": "ioc", "seconds": 0.01}])
    expected = json.dumps(source.ioc("ioc-0001").to_json()).encode()

    head, pieces = raw_get(source, "/iocs/ioc-0001")

    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"".join(pieces) == expected
    assert len(pieces) > 1
    assert max(map(len, pieces)) < len(expected)
    assert -(-len(expected) // TRICKLE_CHUNK) > 10
    assert get(source, "/iocs/ioc-0002").json() == source.ioc("ioc-0002").to_json()


def test_reset_closes_the_connection_mid_body(source: DemoSource) -> None:
    source.set_faults([{"name": "reset", "endpoint": "ioc"}])
    expected = json.dumps(source.ioc("ioc-0001").to_json()).encode()

    head, pieces = raw_get(source, "/iocs/ioc-0001")

    assert head.startswith(b"HTTP/1.1 200 ")
    assert head.endswith(f"\r\nContent-Length: {len(expected)}".encode())
    assert b"".join(pieces) == expected[: len(expected) // 2]
    with pytest.raises(
        requests.exceptions.ChunkedEncodingError, match="IncompleteRead"
    ):
        get(source, "/iocs/ioc-0001")


def test_malformed_json_is_a_truncated_200(source: DemoSource) -> None:
    source.set_faults([{"name": "malformed_json", "endpoint": "ids"}])
    expected = json.dumps({"ids": ["ioc-0001", "ioc-0002", "ioc-0003"]}).encode()

    response = get(source, f"/iocs?{IDS_QUERY}")

    assert response.status_code == 200
    assert response.content == expected[: len(expected) // 2]
    with pytest.raises(requests.exceptions.JSONDecodeError):
        response.json()


@pytest.mark.parametrize("endpoint", ["ids", "ioc", "pdf"])
def test_html_200_is_an_error_page(source: DemoSource, endpoint: str) -> None:
    source.set_faults([{"name": "html_200", "endpoint": endpoint}])
    path = {
        "ids": f"/iocs?{IDS_QUERY}",
        "ioc": "/iocs/ioc-0001",
        "pdf": "/pdf/ioc-0001",
    }

    response = get(source, path[endpoint])

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.text.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("endpoint", "wanted_pdf", "content_type"),
    [
        ("ioc", True, "application/json"),
        ("pdf", True, "application/pdf"),
        ("pdf", False, "application/pdf"),
    ],
)
def test_empty_200_even_where_the_answer_is_404(
    source: DemoSource, endpoint: str, wanted_pdf: bool, content_type: str
) -> None:
    source.set_faults([{"name": "empty_200", "endpoint": endpoint}])
    ioc_id = pdf_id(source, wanted_pdf)

    response = get(source, f"/{'iocs' if endpoint == 'ioc' else 'pdf'}/{ioc_id}")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Length"] == "0"
    assert response.content == b""


def test_wrong_shape(source: DemoSource) -> None:
    source.set_faults(
        [
            {"name": "wrong_shape", "endpoint": "ids"},
            {"name": "wrong_shape", "endpoint": "ioc"},
        ]
    )
    normal = source.ioc("ioc-0003").to_json()

    listed = get(source, f"/iocs?{IDS_QUERY}").json()
    record = get(source, "/iocs/ioc-0003").json()

    assert listed == ["ioc-0001", "ioc-0002", "ioc-0003"]
    assert record == {**normal, "id": 3, "value": None, "created_at": 1767232800}


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("unknown_type", {"type": "url", "value": "http://ioc-0004.example.com/"}),
        ("extra_fields", EXTRA_FIELDS),
    ],
)
def test_record_content_faults(
    source: DemoSource, name: str, change: dict[str, object]
) -> None:
    source.set_faults([{"name": name, "endpoint": "ioc"}])

    record = get(source, "/iocs/ioc-0004").json()

    assert record == {**source.ioc("ioc-0004").to_json(), **change}


def test_missing_recommended_drops_created_at(source: DemoSource) -> None:
    source.set_faults([{"name": "missing_recommended", "endpoint": "ioc"}])
    expected = source.ioc("ioc-0004").to_json()
    del expected["created_at"]

    assert get(source, "/iocs/ioc-0004").json() == expected


def test_oversized_bodies_still_parse(source: DemoSource) -> None:
    source.set_faults([{"name": "oversized", "endpoint": e} for e in ("ioc", "pdf")])
    with_pdf = pdf_id(source, True)

    record = get(source, "/iocs/ioc-0001")
    pdf = get(source, f"/pdf/{with_pdf}")

    assert len(record.content) == OVERSIZED_BYTES
    assert record.json() == source.ioc("ioc-0001").to_json()
    assert len(pdf.content) == OVERSIZED_BYTES
    assert pdf.content.startswith(source.pdf(with_pdf).split(b"%%EOF")[0])
    assert pdf.content.endswith(b"%%EOF\n")
