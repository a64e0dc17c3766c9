"""The client against the demo source over real HTTP: each failure becomes a
DataRetrievalError raised from its cause, transient ones after bounded retries."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
import requests
from pydantic import SecretStr, ValidationError

from connector_sandbox.source import DemoSource
from snippets.example_connector.client_api import ClientAPI
from snippets.example_connector.data_warnings import (
    MissingRecommendedFieldWarning,
    UnexpectedValueWarning,
    UnknownFieldWarning,
)
from snippets.example_connector.errors import (
    ApiKeyRefusedError,
    DataRetrievalError,
    TooManyIdsError,
)
from snippets.example_connector.http_transport import (
    DeadlineExceededError,
    ResponseTooLargeError,
    TransientHTTPError,
)
from tests.example_connector.conftest import API_KEY, attributes, records

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def make_client(
    url: str,
    logger: Any,
    *,
    key: str = API_KEY,
    timeout: float = 2.0,
    attempts: int = 3,
    max_ids: int = 100_000,
) -> ClientAPI:
    return ClientAPI(
        url,
        SecretStr(key),
        logger,
        timeout_seconds=timeout,
        max_attempts=attempts,
        max_ids=max_ids,
    )


@pytest.fixture
def client(source: DemoSource, connector_logger: Any) -> ClientAPI:
    return make_client(source.url, connector_logger)


def test_get_ids_returns_the_window(source: DemoSource, client: ClientAPI) -> None:
    end = START + datetime.timedelta(hours=5)
    assert client.get_ids(START, end) == source.ids_between(START, end)
    assert len(client.get_ids(START, end)) == 5


def test_get_ioc_returns_the_model(source: DemoSource, client: ClientAPI) -> None:
    ioc = client.get_ioc("ioc-0003")
    assert ioc.model_dump(exclude_none=True) == source.ioc("ioc-0003").to_json()


def test_not_found_is_not_retried(source: DemoSource, client: ClientAPI) -> None:
    with pytest.raises(
        DataRetrievalError,
        match=r"^the source could not provide IOC ioc-0999: HTTP 404 Not Found$",
    ) as info:
        client.get_ioc("ioc-0999")
    assert info.value.retryable is False
    assert isinstance(info.value.__cause__, requests.HTTPError)
    assert info.value.__cause__.response is not None
    assert info.value.__cause__.response.status_code == 404
    assert source.stats().requests["/iocs/ioc-0999"] == 1


def test_wrong_api_key(
    source: DemoSource, connector_logger: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(source.url, connector_logger, key="wrong-key-5f0c")
    with pytest.raises(ApiKeyRefusedError, match=r"HTTP 401 Unauthorized$") as info:
        client.get_ids(START, START + datetime.timedelta(hours=1))
    # Its own class, so the run stops: every other request would be refused too.
    assert type(info.value) is ApiKeyRefusedError
    # Not retried now, but a later run may succeed once the key is fixed.
    assert info.value.retryable is True
    assert isinstance(info.value.__cause__, requests.HTTPError)
    assert info.value.__cause__.response is not None
    assert info.value.__cause__.response.status_code == 401
    assert source.stats().requests["/iocs"] == 1
    assert "wrong-key-5f0c" not in caplog.text
    assert "wrong-key-5f0c" not in str(info.value)


def test_transient_503_is_retried_until_it_succeeds(
    source: DemoSource, client: ClientAPI, caplog: pytest.LogCaptureFixture
) -> None:
    source.set_faults(
        [{"name": "http_503", "endpoint": "ioc", "id": "ioc-0002", "times": 2}]
    )
    with caplog.at_level(logging.DEBUG):
        assert client.get_ioc("ioc-0002").id == "ioc-0002"
    assert source.stats().requests["/iocs/ioc-0002"] == 3
    retries = [
        r
        for r in records(caplog, logging.DEBUG)
        if r.getMessage() == "Retrying a request to the source"
    ]
    assert [attributes(r)["attempt"] for r in retries] == [1, 2]


def test_503_that_never_recovers(source: DemoSource, client: ClientAPI) -> None:
    source.set_faults([{"name": "http_503", "endpoint": "ioc", "id": "ioc-0002"}])
    with pytest.raises(
        DataRetrievalError,
        match=r"IOC ioc-0002: TransientHTTPError: 503 Service Unavailable",
    ) as info:
        client.get_ioc("ioc-0002")
    assert info.value.retryable is True
    assert isinstance(info.value.__cause__, TransientHTTPError)
    assert source.stats().requests["/iocs/ioc-0002"] == 3


def test_429_honours_retry_after(
    source: DemoSource, client: ClientAPI, caplog: pytest.LogCaptureFixture
) -> None:
    source.set_faults(
        [{"name": "http_429", "endpoint": "ids", "rate": 1.0, "times": 1, "seconds": 1}]
    )
    with caplog.at_level(logging.DEBUG):
        client.get_ids(START, START + datetime.timedelta(hours=2))
    (retry,) = [
        r
        for r in records(caplog, logging.DEBUG)
        if r.getMessage().startswith("Retrying")
    ]
    assert attributes(retry)["wait_seconds"] == 1.0
    assert "429" in attributes(retry)["reason"]


def test_read_timeout_is_retried_then_reported(
    source: DemoSource, connector_logger: Any
) -> None:
    source.set_faults(
        [{"name": "slow", "endpoint": "ioc", "id": "ioc-0004", "seconds": 2}]
    )
    client = make_client(source.url, connector_logger, timeout=0.3, attempts=2)
    with pytest.raises(DataRetrievalError, match=r"IOC ioc-0004: ReadTimeout") as info:
        client.get_ioc("ioc-0004")
    assert info.value.retryable is True
    assert isinstance(info.value.__cause__, requests.ReadTimeout)


def test_connection_refused(connector_logger: Any) -> None:
    with DemoSource(api_key=API_KEY) as stopped:
        url = stopped.url
    client = make_client(url, connector_logger, attempts=2)
    with pytest.raises(
        DataRetrievalError, match=r"IOC ioc-0001: ConnectionError"
    ) as info:
        client.get_ioc("ioc-0001")
    assert info.value.retryable is True
    assert isinstance(info.value.__cause__, requests.ConnectionError)


def test_connection_reset_mid_body(source: DemoSource, connector_logger: Any) -> None:
    source.set_faults([{"name": "reset", "endpoint": "ioc", "id": "ioc-0005"}])
    client = make_client(source.url, connector_logger, attempts=2)
    with pytest.raises(DataRetrievalError, match=r"IOC ioc-0005: ") as info:
        client.get_ioc("ioc-0005")
    assert info.value.retryable is True
    assert isinstance(
        info.value.__cause__,
        requests.ConnectionError | requests.exceptions.ChunkedEncodingError,
    )
    assert source.stats().requests["/iocs/ioc-0005"] == 2


@pytest.mark.parametrize(
    "fault", ["malformed_json", "html_200", "empty_200", "wrong_shape"]
)
def test_unusable_bodies(source: DemoSource, client: ClientAPI, fault: str) -> None:
    source.set_faults([{"name": fault, "endpoint": "ioc", "id": "ioc-0006"}])
    with pytest.raises(
        DataRetrievalError,
        match=r"^the source sent an invalid answer for IOC ioc-0006: ",
    ) as info:
        client.get_ioc("ioc-0006")
    assert info.value.retryable is False
    assert isinstance(info.value.__cause__, ValidationError)


def test_wrong_shape_of_the_id_list(source: DemoSource, client: ClientAPI) -> None:
    source.set_faults([{"name": "wrong_shape", "endpoint": "ids", "rate": 1.0}])
    with pytest.raises(
        DataRetrievalError, match=r"invalid answer for the IOC ids between"
    ):
        client.get_ids(START, START + datetime.timedelta(hours=1))


def test_oversized_body(source: DemoSource, client: ClientAPI) -> None:
    source.set_faults([{"name": "oversized", "endpoint": "ioc", "id": "ioc-0007"}])
    with pytest.raises(DataRetrievalError, match=r"ResponseTooLargeError") as info:
        client.get_ioc("ioc-0007")
    assert info.value.retryable is False
    assert isinstance(info.value.__cause__, ResponseTooLargeError)


def test_trickling_body_hits_the_deadline(
    source: DemoSource, connector_logger: Any
) -> None:
    source.set_faults(
        [{"name": "trickle", "endpoint": "ioc", "id": "ioc-0008", "seconds": 0.1}]
    )
    client = make_client(source.url, connector_logger, timeout=0.5, attempts=3)
    with pytest.raises(DataRetrievalError, match=r"DeadlineExceededError") as info:
        client.get_ioc("ioc-0008")
    # Not retried at once (it would take as long again), but worth a later run.
    assert info.value.retryable is True
    assert source.stats().requests["/iocs/ioc-0008"] == 1
    assert isinstance(info.value.__cause__, DeadlineExceededError)


@pytest.mark.parametrize(
    ("fault", "category", "message"),
    [
        (
            "unknown_type",
            UnexpectedValueWarning,
            r"field 'type' has unexpected value 'url'",
        ),
        ("extra_fields", UnknownFieldWarning, r"unknown field '"),
        (
            "missing_recommended",
            MissingRecommendedFieldWarning,
            r"'created_at' is missing",
        ),
    ],
)
def test_undocumented_data_is_kept_with_a_warning(
    source: DemoSource,
    client: ClientAPI,
    fault: str,
    category: type[Warning],
    message: str,
) -> None:
    source.set_faults([{"name": fault, "endpoint": "ioc", "id": "ioc-0009"}])
    with pytest.warns(category, match=message):
        assert client.get_ioc("ioc-0009").id == "ioc-0009"


def test_pdf_present(source: DemoSource, client: ClientAPI) -> None:
    with_pdf = next(
        i
        for i in source.ids_between(START, START + datetime.timedelta(days=1))
        if source.has_pdf(i)
    )
    assert client.get_pdf(with_pdf) == source.pdf(with_pdf)


def test_pdf_absent_is_the_documented_quirk(
    source: DemoSource, client: ClientAPI, caplog: pytest.LogCaptureFixture
) -> None:
    without = next(
        i
        for i in source.ids_between(START, START + datetime.timedelta(days=1))
        if not source.has_pdf(i)
    )
    with caplog.at_level(logging.DEBUG):
        assert client.get_pdf(without) is None
    (info,) = records(caplog, logging.INFO)
    assert info.getMessage() == "PDF cannot be retrieved"
    assert attributes(info) == {"ioc_id": without}
    (debug,) = [
        r
        for r in records(caplog, logging.DEBUG)
        if r.getMessage() == "PDF retrieval failed"
    ]
    assert "404" in attributes(debug)["reason"]
    assert not records(caplog, logging.WARNING)


def test_pdf_errors_are_not_retried(source: DemoSource, client: ClientAPI) -> None:
    source.set_faults([{"name": "http_500", "endpoint": "pdf", "id": "ioc-0001"}])
    assert client.get_pdf("ioc-0001") is None
    assert source.stats().requests["/pdf/ioc-0001"] == 1


def test_the_api_key_never_reaches_the_logs(
    source: DemoSource, client: ClientAPI, caplog: pytest.LogCaptureFixture
) -> None:
    source.set_faults([{"name": "http_503", "endpoint": "ioc", "id": "ioc-0002"}])
    with caplog.at_level(logging.DEBUG), pytest.raises(DataRetrievalError) as info:
        client.get_ioc("ioc-0002")
    assert API_KEY not in caplog.text
    assert API_KEY not in str(info.value)
    assert API_KEY not in repr(info.value.__cause__)


@pytest.mark.parametrize("fault", ["html_200", "empty_200"])
def test_a_200_that_is_not_a_pdf_is_no_pdf(
    source: DemoSource, client: ClientAPI, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    source.set_faults([{"name": fault, "endpoint": "pdf", "id": "ioc-0002"}])
    with caplog.at_level(logging.DEBUG):
        assert client.get_pdf("ioc-0002") is None
    (info,) = records(caplog, logging.INFO)
    assert info.getMessage() == "PDF cannot be retrieved"
    (debug,) = [
        r
        for r in records(caplog, logging.DEBUG)
        if r.getMessage() == "PDF retrieval failed"
    ]
    assert attributes(debug)["reason"].startswith("not a PDF: ")


@pytest.mark.parametrize(
    "ioc_id", [".", "..", "...", "a/b", "a?b", "a b", "x" * 129, ""]
)
def test_an_id_that_is_not_one_path_segment_is_never_requested(
    source: DemoSource, client: ClientAPI, ioc_id: str
) -> None:
    with pytest.raises(
        DataRetrievalError, match=r"^the source listed an id that can't be asked for: "
    ) as info:
        client.get_ioc(ioc_id)
    assert info.value.retryable is False
    assert len(str(info.value)) < 400
    assert sum(source.stats().requests.values()) == 0


def test_an_id_with_odd_but_safe_characters_is_one_encoded_segment(
    source: DemoSource, client: ClientAPI
) -> None:
    with pytest.raises(DataRetrievalError, match="HTTP 404"):
        client.get_ioc("a:b@c+d=e~f")
    # The source decoded the path into this one id: it went as one segment.
    assert list(source.stats().requests) == ["/iocs/a:b@c+d=e~f"]


def test_an_id_list_longer_than_the_setting_asks_for_a_shorter_window(
    source: DemoSource, connector_logger: Any
) -> None:
    client = make_client(source.url, connector_logger, max_ids=3)
    end = START + datetime.timedelta(hours=5)

    with pytest.raises(TooManyIdsError, match=r"more than 3 ids$") as info:
        client.get_ids(START, end)

    assert type(info.value) is TooManyIdsError
    assert info.value.retryable is True
    assert client.get_ids(START, START + datetime.timedelta(hours=3)) == (
        source.ids_between(START, START + datetime.timedelta(hours=3))
    )
