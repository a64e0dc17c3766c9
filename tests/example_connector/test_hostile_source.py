"""The transport against a hostile source: the demo source's wire faults, over real HTTP.

Each request ends within its deadline (DEADLINE_TIMEOUTS read timeouts) plus a margin,
with the exception that says why; nothing the server sends makes it raise anything but a
``requests.RequestException``, follow a redirect, or hold more than a chunk of a body.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from connector_sandbox.source import DemoSource
from connector_sandbox.source_replies import gzip_bomb
from snippets.example_connector.http_transport import (
    DEADLINE_TIMEOUTS,
    Body,
    DeadlineExceededError,
    RedirectRefusedError,
    ResponseTooLargeError,
    TransientHTTPError,
    Transport,
    new_session,
)
from tests.example_connector.conftest import API_KEY

TIMEOUT = 0.3
DEADLINE = DEADLINE_TIMEOUTS * TIMEOUT
# Time for the watchdog's thread to run and the exception to come up, on a busy machine.
MARGIN = 0.6
# Each piece of a trickle comes within the read timeout.
PAUSE = 0.1
IOC_PATH = "/iocs/ioc-0001"
MAX_BYTES = 1024 * 1024
UNUSABLE = "The source sent a header that can't be used; it is ignored"


@dataclass
class RecordingLogger:
    """The connector logger's interface, keeping every record."""

    records: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)

    def debug(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("debug", message, meta))

    def info(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("info", message, meta))

    def warning(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("warning", message, meta))

    def error(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("error", message, meta))

    def at(self, level: str) -> list[tuple[str, dict[str, Any] | None]]:
        return [(m, meta) for lvl, m, meta in self.records if lvl == level]


@contextmanager
def transport(
    source: DemoSource, *, attempts: int = 1
) -> Iterator[tuple[Transport, RecordingLogger]]:
    """A Transport as the client makes it: one session, the API key in its headers."""
    with new_session(source.url) as session:
        session.headers["X-API-Key"] = API_KEY
        logger = RecordingLogger()
        yield (
            Transport(session, logger, timeout_seconds=TIMEOUT, max_attempts=attempts),
            logger,
        )


@contextmanager
def timed(*, at_least: float = 0.0, at_most: float) -> Iterator[None]:
    """The block takes from ``at_least`` to ``at_most`` seconds, whether it raises or not."""
    started = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - started
        assert at_least <= elapsed < at_most, f"took {elapsed:.2f}s"


def fault(source: DemoSource, name: str, **spec: object) -> None:
    source.set_faults([{"name": name, "endpoint": "ioc", **spec}])


def get(client: Transport, source: DemoSource, path: str = IOC_PATH) -> Body:
    return client.get(source.url + path, max_bytes=MAX_BYTES)


DEADLINE_MESSAGE = rf"^no complete answer in {DEADLINE:g}s$"


# A cut socket reads as a clean end of the headers or of the trailers: only the deadline
# says the answer is not one.
@pytest.mark.parametrize("name", ["trickle_headers", "endless_trailers"])
def test_an_answer_that_never_ends_cleanly_hits_the_deadline(
    source: DemoSource, name: str
) -> None:
    fault(source, name, seconds=PAUSE)

    with (
        transport(source) as (client, _),
        timed(at_least=DEADLINE, at_most=DEADLINE + MARGIN),
        pytest.raises(DeadlineExceededError, match=DEADLINE_MESSAGE),
    ):
        get(client, source)


def test_trickle_chunked_hits_the_deadline(source: DemoSource) -> None:
    fault(source, "trickle_chunked", seconds=PAUSE)

    with (
        transport(source) as (client, logger),
        timed(at_least=DEADLINE, at_most=DEADLINE + MARGIN),
        pytest.raises(DeadlineExceededError, match=DEADLINE_MESSAGE) as info,
    ):
        get(client, source)

    # The shut socket is where the body broke off.
    assert isinstance(info.value.__cause__, requests.exceptions.ChunkedEncodingError)
    assert "IncompleteRead" in str(info.value.__cause__)
    assert isinstance(info.value, requests.Timeout)
    assert logger.records == []


def test_redirect_trickle_hits_the_deadline(source: DemoSource) -> None:
    fault(source, "redirect_trickle", seconds=PAUSE)

    with (
        transport(source) as (client, logger),
        timed(at_least=DEADLINE, at_most=DEADLINE + MARGIN),
        pytest.raises(DeadlineExceededError, match=DEADLINE_MESSAGE) as info,
    ):
        get(client, source)

    # Reading the small error body (to keep the connection) is what the deadline cut.
    cause = info.value.__cause__
    assert isinstance(cause, RedirectRefusedError)
    assert str(cause) == f"302 redirect to {IOC_PATH}, not followed"
    ((message, meta),) = logger.at("debug")
    assert message == "Error body not read; the connection is closed"
    assert meta is not None
    assert meta["status"] == 302
    assert source.stats().requests == {IOC_PATH: 1}


def test_redirect_away_is_refused_and_the_other_origin_gets_nothing(
    source: DemoSource,
) -> None:
    fault(source, "redirect_away")
    location = source.other_origin.url + IOC_PATH

    with (
        transport(source, attempts=3) as (client, logger),
        timed(at_most=MARGIN),
        pytest.raises(
            RedirectRefusedError,
            match=rf"^302 redirect to {location}, not followed$",
        ) as info,
    ):
        get(client, source)

    assert info.value.__cause__ is None
    # Not retried, and nothing at all reached the other origin.
    assert source.stats().requests == {IOC_PATH: 1}
    assert source.other_origin.received() == []
    assert logger.records == []


def test_redirect_away_on_the_id_list_keeps_the_query_out_of_reach(
    source: DemoSource,
) -> None:
    source.set_faults([{"name": "redirect_away", "endpoint": "ids"}])
    query = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T03:00:00Z"}

    with (
        transport(source) as (client, _),
        pytest.raises(RedirectRefusedError, match=r"^302 redirect to http://") as info,
    ):
        client.get(source.url + "/iocs", params=query, max_bytes=MAX_BYTES)

    assert source.other_origin.url + "/iocs?start=" in str(info.value)
    assert source.other_origin.received() == []


def test_odd_retry_after_is_ignored_with_one_warning(source: DemoSource) -> None:
    fault(source, "odd_retry_after")

    with (
        transport(source, attempts=3) as (client, logger),
        pytest.raises(TransientHTTPError, match=r"^429 Too Many Requests$") as info,
    ):
        get(client, source)

    assert info.value.status == 429
    assert info.value.retry_after is None
    assert not isinstance(info.value.__cause__, ValueError)
    # Three attempts, one WARNING: once per header per Transport.
    assert source.stats().requests == {IOC_PATH: 3}
    assert logger.at("warning") == [
        (UNUSABLE, {"header": "Retry-After", "value": "\u00b2"})
    ]
    assert logger.at("error") == []


def test_odd_content_length_reads_the_body_to_the_close(source: DemoSource) -> None:
    fault(source, "odd_content_length")

    with transport(source) as (client, logger), timed(at_most=DEADLINE):
        body = get(client, source)

    assert body.status == 200
    assert body.content == json.dumps(source.ioc("ioc-0001").to_json()).encode()
    assert body.content_type == "application/json"
    assert logger.at("warning") == [
        (UNUSABLE, {"header": "Content-Length", "value": "\u00b2"})
    ]


def test_odd_content_length_over_the_limit_is_too_large(source: DemoSource) -> None:
    fault(source, "odd_content_length")

    with (
        transport(source) as (client, _),
        pytest.raises(
            ResponseTooLargeError, match=r"^body over the limit of 100 bytes$"
        ),
    ):
        client.get(source.url + IOC_PATH, max_bytes=100)


def test_gzip_bomb_is_too_large_and_memory_stays_small(source: DemoSource) -> None:
    fault(source, "gzip_bomb")
    gzip_bomb()  # built once on the server's side, before the client's memory is measured

    tracemalloc.start()
    try:
        with (
            transport(source) as (client, _),
            timed(at_most=DEADLINE),
            pytest.raises(
                ResponseTooLargeError,
                match=rf"^body over the limit of {MAX_BYTES} bytes$",
            ) as info,
        ):
            get(client, source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert info.value.__cause__ is None
    # 200 MiB expanded; the read holds a MiB and a chunk at most.
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
