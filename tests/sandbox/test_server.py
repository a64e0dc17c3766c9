"""What both sandbox servers share: how they read a request's body, and what they refuse."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from contextlib import closing

import pytest

from connector_sandbox._server import BackgroundServer
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.source import DemoSource

KEY = "server-key-7a1c"


@pytest.fixture(params=["platform", "source"])
def server(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[BackgroundServer | PlatformStandIn, str]]:
    if request.param == "platform":
        with PlatformStandIn(KEY) as platform:
            yield platform, "/_faults"
    else:
        with DemoSource(api_key=KEY, count=1) as source:
            yield source, "/_faults"


def _post(
    port: int, path: str, headers: dict[str, str], body: bytes
) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    with closing(connection):
        connection.putrequest("POST", path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        payload = json.loads(response.read())
    # Each server answers in its own API's shape: GraphQL's errors, the source's error.
    message = (
        payload["errors"][0]["message"] if "errors" in payload else payload["error"]
    )
    return response.status, str(message)


@pytest.mark.parametrize(
    ("headers", "body", "status", "message"),
    [
        ({"Content-Length": "x1"}, b"", 411, "send the body with a Content-Length"),
        (
            {"Transfer-Encoding": "chunked"},
            b"2\r\n[]\r\n0\r\n\r\n",
            411,
            "send the body with a Content-Length",
        ),
        ({"Content-Length": str(2**40)}, b"", 413, "request bodies are limited to "),
    ],
    ids=["odd-length", "chunked", "too-large"],
)
def test_both_servers_read_a_body_by_its_length_only(
    server: tuple[BackgroundServer | PlatformStandIn, str],
    headers: dict[str, str],
    body: bytes,
    status: int,
    message: str,
) -> None:
    running, path = server
    got_status, got_message = _post(running.port, path, headers, body)
    assert got_status == status
    assert message in got_message
