"""Do: the client only raises; the run, which knows what comes next,
decides."""

from typing import Any

import requests
import responses
from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

URL = "https://source.example"


class DataRetrievalError(Exception):
    """The data source could not provide the data asked for."""


# --8<-- [start:example]
class SourceClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def get_ids(self) -> list[str]:
        ids: list[str] = self._get("iocs")
        return ids

    def get_ioc(self, ioc_id: str) -> dict[str, str]:
        ioc: dict[str, str] = self._get(f"iocs/{ioc_id}")
        return ioc

    def _get(self, path: str) -> Any:
        try:
            response = self.session.get(f"{self.base_url}/{path}", timeout=10)
            response.raise_for_status()
        except requests.RequestException as err:
            # Say what failed, in words of its own; the caller decides.
            answer = err.response
            reason = type(err).__name__
            if answer is not None:
                reason = f"HTTP {answer.status_code}"
            raise DataRetrievalError(reason) from err  # (1)!
        return response.json()


class Connector:
    def __init__(
        self, helper: OpenCTIConnectorHelper, client: SourceClient
    ) -> None:
        self.helper = helper
        self.client = client

    def process(self) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        sent: list[str] = []
        in_error = True
        try:
            self._send_all(sent)
            in_error = False
        except DataRetrievalError as err:  # (2)!
            self.helper.connector_logger.warning(
                "Source unavailable, run stopped", {"reason": str(err)}
            )
            reason = f"Source unavailable: {err}"
            self.helper.api.work.report_expectation(
                work_id, {"error": reason, "source": "CONNECTOR"}
            )
        except Exception as err:  # noqa: BLE001 - the run's top (ERR-014)
            self.helper.connector_logger.error("Run stopped")
            reason = f"{type(err).__name__}: {err}"
            self.helper.api.work.report_expectation(
                work_id, {"error": reason, "source": "CONNECTOR"}
            )
        finally:
            self.helper.api.work.to_processed(
                work_id, f"IOCs sent: {len(sent)}", in_error=in_error
            )

    def _send_all(self, sent: list[str]) -> None:
        ids = self.client.get_ids()  # (3)!
        for ioc_id in ids:
            try:
                ioc = self.client.get_ioc(ioc_id)
            except DataRetrievalError as err:
                # One IOC the source can't serve: skip it, the others go on.
                self.helper.connector_logger.warning(
                    "IOC skipped", {"ioc_id": ioc_id, "reason": str(err)}
                )
            else:
                sent.append(ioc["value"])  # a real connector sends a bundle


# --8<-- [end:example]
def source(rsps: responses.RequestsMock, list_status: int) -> None:
    """The source's answers: the list of ids, and ioc-2 is gone."""
    ids = ["ioc-1", "ioc-2", "ioc-3"]
    rsps.get(f"{URL}/iocs", status=list_status, json=ids)
    rsps.get(f"{URL}/iocs/ioc-1", json={"value": "a.example"})
    rsps.get(f"{URL}/iocs/ioc-2", status=404)
    rsps.get(f"{URL}/iocs/ioc-3", json={"value": "c.example"})


if __name__ == "__main__":
    # The same client, the same exception: two decisions, both in the run.
    helper = RecordingHelper()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        source(rsps, list_status=200)
        Connector(helper, SourceClient(URL)).process()
    for line in helper.logs.lines() + helper.operations():  # ioc-2: skipped
        print(line)
        #> WARNING IOC skipped {"ioc_id": "ioc-2", "reason": "HTTP 404"}
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='IOCs sent: 2' inError=False

    helper = RecordingHelper()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        source(rsps, list_status=503)
        Connector(helper, SourceClient(URL)).process()
    for line in helper.logs.lines() + helper.operations():  # no list: no run
        print(line)
        #> WARNING Source unavailable, run stopped {"reason": "HTTP 503"}
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='Source unavailable: HTTP 503'
        #> workToProcessed id='work-1' message='IOCs sent: 0' inError=True
