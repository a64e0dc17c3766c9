"""Do: let helpers raise; catch Exception once, at the run's top, and alert."""

from typing import Any

import requests
import responses
from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

URL = "https://source.test/api/iocs"
SENT: list[str] = []


def send_bundle(ioc_id: str) -> None:
    """Stands for helper.send_stix2_bundle."""
    if ioc_id == "ioc-2":
        raise KeyboardInterrupt  # the operator presses Ctrl+C here
    SENT.append(ioc_id)


# --8<-- [start:example]
class SourceClient:
    def __init__(self) -> None:
        self.session = requests.Session()

    def get_ids(self) -> list[str]:
        # No except here: this layer can't tell the platform, so errors rise.
        return [item["id"] for item in self._get_json()["data"]]

    def _get_json(self) -> dict[str, Any]:
        response = self.session.get(URL, timeout=30)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


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
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            for ioc_id in self.client.get_ids():
                send_bundle(ioc_id)
            in_error = False
        except Exception as err:  # noqa: BLE001 - the run's top (ERR-014)
            # pycti's error() logs the traceback; OpenCTI shows the report.
            self.helper.connector_logger.error("Run stopped")  # (1)!
            reason = f"{type(err).__name__}: {err}"
            self.helper.api.work.report_expectation(
                work_id, {"error": reason, "source": "CONNECTOR"}
            )
        finally:  # (2)!
            message = "Run stopped" if in_error else "Run finished"
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )


# --8<-- [end:example]
def main(helper: RecordingHelper, answer: dict[str, Any]) -> int:
    """One run against a source answering ``answer``; the exit code."""
    with responses.RequestsMock() as rsps:
        rsps.get(URL, json=answer)
        try:
            Connector(helper, SourceClient()).process()
        except KeyboardInterrupt:
            return 130  # 128 + SIGINT: a real connector sys.exit()s with it
    return 0


if __name__ == "__main__":
    ids = [{"id": "ioc-1"}, {"id": "ioc-2"}]
    helper = RecordingHelper()
    # The source's new API version renamed "data" to "items".
    print("Renamed field: exit code", main(helper, {"items": ids}))
    #> Renamed field: exit code 0
    for line in helper.logs.lines():  # pycti's error() adds the traceback
        print(line)
        #> ERROR Run stopped [traceback: KeyError: 'data']
    for operation in helper.operations():  # what OpenCTI received
        print(operation)
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error="KeyError: 'data'"
        #> workToProcessed id='work-1' message='Run stopped' inError=True
    helper = RecordingHelper()
    # The old API, and Ctrl+C while ioc-2 is sent: process() lets it through.
    print("Ctrl+C: exit code", main(helper, {"data": ids}), "sent", SENT)
    #> Ctrl+C: exit code 130 sent ['ioc-1']
    for operation in helper.operations():
        print(operation)
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Run stopped' inError=True
