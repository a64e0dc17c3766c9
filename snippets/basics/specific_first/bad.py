"""Don't: catch a base class before its subclass, so the subclass handler
never runs."""

from collections import deque

import requests
import responses
from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


class RateLimitError(DataRetrievalError):
    """The source answered 429: the same request works a bit later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("HTTP 429")
        self.retry_after = retry_after


class SourceClient:
    """The source's client: a failed request leaves it as a
    DataRetrievalError, a 429 as a RateLimitError (ERR-011)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def get_ioc(self, ioc_id: str) -> str:
        try:
            response = self.session.get(f"{self.url}/{ioc_id}", timeout=10)
            response.raise_for_status()
        except requests.RequestException as err:
            raise source_error(err) from err
        name: str = response.json()["name"]
        return name


def source_error(err: requests.RequestException) -> DataRetrievalError:
    """This source sends Retry-After in seconds (it may also be a date)."""
    if err.response is None:
        return DataRetrievalError(type(err).__name__)
    if err.response.status_code == 429:
        return RateLimitError(int(err.response.headers["Retry-After"]))
    return DataRetrievalError(f"HTTP {err.response.status_code}")


# --8<-- [start:example]
def process(
    helper: OpenCTIConnectorHelper, client: SourceClient, ids: list[str]
) -> list[str]:
    sent, pending = [], deque(ids)
    while pending:
        ioc_id = pending.popleft()
        try:
            sent.append(client.get_ioc(ioc_id))
        except DataRetrievalError as err:  # also catches every RateLimitError
            helper.connector_logger.warning(
                "IOC skipped", {"ioc_id": ioc_id, "reason": str(err)}
            )
        except RateLimitError as err:  # [OCE007] never runs
            helper.connector_logger.warning(
                "IOC retried later",
                {"ioc_id": ioc_id, "wait_seconds": err.retry_after},
            )
            pending.append(ioc_id)  # wait first, and give up after a few
    return sent


# --8<-- [end:example]
if __name__ == "__main__":
    url = "https://source.example/iocs"
    helper = RecordingHelper()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{url}/ioc-1", json={"name": "ioc-1"})
        rsps.get(f"{url}/ioc-2", status=429, headers={"Retry-After": "30"})
        rsps.get(f"{url}/ioc-2", json={"name": "ioc-2"})  # the next time
        rsps.get(f"{url}/ioc-3", status=404)
        rsps.get(f"{url}/ioc-4", json={"name": "ioc-4"})
        ids = ["ioc-1", "ioc-2", "ioc-3", "ioc-4"]
        print("Sent:", process(helper, SourceClient(url), ids))
        #> Sent: ['ioc-1', 'ioc-4']
    for line in helper.logs.lines():
        print(line)
        #> WARNING IOC skipped {"ioc_id": "ioc-2", "reason": "HTTP 429"}
        #> WARNING IOC skipped {"ioc_id": "ioc-3", "reason": "HTTP 404"}
