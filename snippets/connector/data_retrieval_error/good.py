"""Do: each failure of the source becomes a DataRetrievalError, from its cause.

Each says whether a later run may succeed: a 503, a timeout, a maintenance
page may pass; a record without its value won't. A refused API key stops the
run: every request gets the same answer until someone fixes the key.
"""

from typing import Any

import requests
import responses
from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

URL = "https://source.test/api/iocs"
ANSWERS: dict[str, dict[str, Any]] = {  # what the source answers, IOC by IOC
    "ioc-1": {"json": {"value": "evil.test"}},
    "ioc-2": {"status": 503},
    "ioc-3": {"body": requests.exceptions.ReadTimeout("Read timed out")},
    "ioc-4": {"body": "<html>Down for maintenance</html>"},
    "ioc-5": {"json": {"ip": "198.51.100.7"}},  # no "value"
    "ioc-6": {"json": {"value": "198.51.100.7"}},
}


# --8<-- [start:example]
class DataRetrievalError(Exception):
    """The source did not deliver usable data: not the connector's fault."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable  # may a later run get it?


class KeyRefusedError(DataRetrievalError):
    """401 or 403: every request fails so until the key is fixed."""


class SourceClient:
    def __init__(self, api_key: str) -> None:
        self.session = requests.Session()
        self.session.headers["X-API-Key"] = api_key

    def get_value(self, ioc_id: str) -> str:
        try:
            response = self.session.get(f"{URL}/{ioc_id}", timeout=30)
            response.raise_for_status()
        except requests.RequestException as err:
            raise _request_failed(ioc_id, err) from err  # (1)!
        try:
            payload = response.json()
        except requests.JSONDecodeError as err:
            raise DataRetrievalError(
                f"{ioc_id}: answer is not JSON", retryable=True
            ) from err
        try:
            return str(payload["value"])
        except (KeyError, TypeError) as err:
            raise DataRetrievalError(
                f"{ioc_id}: answer has no 'value'", retryable=False
            ) from err


def _request_failed(
    ioc_id: str, err: requests.RequestException
) -> DataRetrievalError:
    if err.response is None:  # a timeout, a refused connection
        reason = type(err).__name__
        return DataRetrievalError(f"{ioc_id}: {reason}", retryable=True)
    status = err.response.status_code
    if status in (401, 403):  # (2)!
        message = f"HTTP {status}: fix SOURCE_API_KEY"
        return KeyRefusedError(message, retryable=True)
    return DataRetrievalError(
        f"{ioc_id}: HTTP {status}", retryable=status == 429 or status >= 500
    )


class Connector:
    def __init__(
        self, helper: OpenCTIConnectorHelper, client: SourceClient
    ) -> None:
        self.helper = helper
        self.client = client

    def process(self, ids: list[str]) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        sent: list[str] = []
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            self._fetch_all(ids, sent)
            in_error = False
        except KeyRefusedError as err:  # the next request would fail too
            self.helper.connector_logger.warning(
                "Run stopped", {"reason": str(err)}
            )
            self.helper.api.work.report_expectation(
                work_id, {"error": str(err), "source": "CONNECTOR"}
            )
        finally:
            message = f"Sent {len(sent)} of {len(ids)}"
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )

    def _fetch_all(self, ids: list[str], sent: list[str]) -> None:
        for ioc_id in ids:
            try:
                sent.append(self.client.get_value(ioc_id))
            except KeyRefusedError:
                raise  # (3)!
            except DataRetrievalError as err:
                self.helper.connector_logger.warning(
                    "IOC skipped",
                    {
                        "ioc_id": ioc_id,
                        "reason": str(err),
                        "retry": err.retryable,
                    },
                )


# --8<-- [end:example]
def shown(helper: RecordingHelper) -> list[str]:
    """The log records, folded to fit the page, then what OpenCTI received."""
    return helper.logs.lines(width=64) + helper.operations()


if __name__ == "__main__":
    output = ["The source, with the right API key:"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for ioc_id, answer in ANSWERS.items():
            rsps.get(f"{URL}/{ioc_id}", **answer)
        helper = RecordingHelper()
        Connector(helper, SourceClient("key-1")).process(list(ANSWERS))
        output += shown(helper)
    output.append("The next run, after the key was revoked:")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for ioc_id in ANSWERS:
            rsps.get(f"{URL}/{ioc_id}", status=401)
        helper = RecordingHelper()
        Connector(helper, SourceClient("key-1")).process(list(ANSWERS)[:2])
        output += shown(helper)
    for line in output:
        print(line)
        #> The source, with the right API key:
        #> WARNING IOC skipped {"ioc_id": "ioc-2",
        #>     "reason": "ioc-2: HTTP 503", "retry": true}
        #> WARNING IOC skipped {"ioc_id": "ioc-3",
        #>     "reason": "ioc-3: ReadTimeout", "retry": true}
        #> WARNING IOC skipped {"ioc_id": "ioc-4",
        #>     "reason": "ioc-4: answer is not JSON", "retry": true}
        #> WARNING IOC skipped {"ioc_id": "ioc-5",
        #>     "reason": "ioc-5: answer has no 'value'", "retry": false}
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Sent 2 of 6' inError=False
        #> The next run, after the key was revoked:
        #> WARNING Run stopped {"reason": "HTTP 401: fix SOURCE_API_KEY"}
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='HTTP 401: fix SOURCE_API_KEY'
        #> workToProcessed id='work-1' message='Sent 0 of 2' inError=True
