"""Don't: let the data source client decide that any failure ends the
connector."""

import subprocess
import sys
from typing import Any

import requests
import responses
from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

URL = "https://source.example"


# --8<-- [start:example]
class SourceClient:
    def __init__(self, helper: OpenCTIConnectorHelper, base_url: str) -> None:
        self.helper = helper
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
        except requests.RequestException:
            # Written for "the source is down". The client can't know that
            # this is one IOC among many, yet it decides for the process.
            self.helper.connector_logger.error(  # [OCE005]
                "Source failed", {"path": path}
            )
            sys.exit(1)  # [OCE008]
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
        ids = self.client.get_ids()
        for ioc_id in ids:
            ioc = self.client.get_ioc(ioc_id)
            sent.append(ioc["value"])  # a real connector sends a bundle


# --8<-- [end:example]
def source(rsps: responses.RequestsMock) -> None:
    """The source's answers: the list of ids, and ioc-2 is gone."""
    ids = ["ioc-1", "ioc-2", "ioc-3"]
    rsps.get(f"{URL}/iocs", json=ids)
    rsps.get(f"{URL}/iocs/ioc-1", json={"value": "a.example"})
    rsps.get(f"{URL}/iocs/ioc-2", status=404)
    rsps.get(f"{URL}/iocs/ioc-3", json={"value": "c.example"})


def child() -> None:
    """The connector's process: one run, then what it logged and sent."""
    helper = RecordingHelper()
    try:
        with responses.RequestsMock(
            assert_all_requests_are_fired=False
        ) as rsps:
            source(rsps)
            Connector(helper, SourceClient(helper, URL)).process()
    finally:  # the client's sys.exit(1) is on its way out
        for line in helper.logs.lines():  # its traceback is on stderr
            print(line.partition(" [traceback: ")[0])
        for operation in helper.operations():
            print(operation)


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        child()
    else:
        process = subprocess.run(
            [sys.executable, __file__, "child"],
            capture_output=True,
            text=True,
            check=False,
        )
        # ioc-3 is never fetched: one missing IOC ended the whole process.
        for line in process.stdout.splitlines():
            print(line)
            #> ERROR Source failed {"path": "iocs/ioc-2"}
            #> workAdd name='Source run'
            #> workToProcessed id='work-1' message='IOCs sent: 1' inError=True
        print("exit code:", process.returncode)
        #> exit code: 1
