"""Don't: let the client's raw errors out; the run loop can only guess.

The loop expects HTTP errors only, and promises a retry for all of them.
"""

import json
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
class SourceClient:
    def __init__(self, api_key: str) -> None:
        self.session = requests.Session()
        self.session.headers["X-API-Key"] = api_key

    def get_value(self, ioc_id: str) -> str:
        response = self.session.get(f"{URL}/{ioc_id}", timeout=30)
        response.raise_for_status()
        # A maintenance page raises JSONDecodeError, a changed schema KeyError.
        return str(response.json()["value"])


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
        except Exception as err:  # [BLE001] the run's top-level handler
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
            except requests.HTTPError as err:  # the one failure expected
                status = getattr(err.response, "status_code", None)
                self.helper.connector_logger.warning(
                    "IOC skipped; a later run will try again",  # (1)!
                    {"ioc_id": ioc_id, "reason": f"HTTP {status}"},
                )


# --8<-- [end:example]
def shown(helper: RecordingHelper) -> list[str]:
    """Each log record on two lines, message then meta; then the work."""
    lines = []
    for record in helper.logs.records:
        meta = json.dumps(vars(record)["attributes"])
        lines += [f"{record.levelname} {record.getMessage()}", f"  {meta}"]
    return lines + helper.operations()


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
        #> WARNING IOC skipped; a later run will try again
        #>   {"ioc_id": "ioc-2", "reason": "HTTP 503"}
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='Read timed out'
        #> workToProcessed id='work-1' message='Sent 1 of 6' inError=True
        #> The next run, after the key was revoked:
        #> WARNING IOC skipped; a later run will try again
        #>   {"ioc_id": "ioc-1", "reason": "HTTP 401"}
        #> WARNING IOC skipped; a later run will try again
        #>   {"ioc_id": "ioc-2", "reason": "HTTP 401"}
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Sent 0 of 2' inError=False
