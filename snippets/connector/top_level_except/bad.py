"""Don't: catch Exception deep in a helper: a broken run reports success."""

from typing import Any

import requests
import responses
from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

URL = "https://source.test/api/iocs"
SENT: list[str] = []


def send_bundle(ioc_id: str) -> None:
    """Stands for helper.send_stix2_bundle."""
    SENT.append(ioc_id)


# --8<-- [start:example]
class SourceClient:
    def __init__(self) -> None:
        self.session = requests.Session()

    def get_ids(self) -> list[str]:
        try:
            return [item["id"] for item in self._get_json()["data"]]
        except Exception:  # [BLE001]
            return []  # "nothing new today": the KeyError is gone for good

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
        finally:
            message = "Run stopped" if in_error else "Run finished"
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )


# --8<-- [end:example]
if __name__ == "__main__":
    ids = [{"id": "ioc-1"}, {"id": "ioc-2"}]
    with responses.RequestsMock() as rsps:
        # The source's new API version renamed "data" to "items".
        rsps.get(URL, json={"items": ids})
        helper = RecordingHelper()
        Connector(helper, SourceClient()).process()
    print("Renamed field: logs", helper.logs.lines(), "sent", SENT)
    #> Renamed field: logs [] sent []
    for operation in helper.operations():  # what OpenCTI received
        print(operation)
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Run finished' inError=False
