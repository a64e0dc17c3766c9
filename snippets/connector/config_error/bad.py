"""Don't: read each setting where it is first used, deep inside a run."""

from collections.abc import Mapping

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

TOKEN = "a1b2-c3_d4"  # API keys have "-" and "_" too
DEPLOYMENTS = [
    {"SOURCE_TOKEN": TOKEN},  # SOURCE_LIMIT forgotten
    # From a secret file that ends with a newline: a classic of Kubernetes.
    {"SOURCE_TOKEN": f"{TOKEN}\n", "SOURCE_LIMIT": "50"},
]


def fetch_iocs(api_key: str, limit: int) -> list[str]:
    """Stands for the call to the source's API."""
    return [f"ioc-{n}" for n in range(limit)]


# --8<-- [start:example]
class Connector:
    def __init__(
        self, helper: OpenCTIConnectorHelper, env: Mapping[str, str]
    ) -> None:
        self.helper = helper
        self.env = env  # os.environ, read where each setting is used

    def process(self) -> None:
        work_id = self.helper.api.work.initiate_work(  # [OCE002]
            self.helper.connect_id, "Source run"
        )
        try:
            message = f"Fetched {len(self._fetch_iocs())}"
        except Exception as err:  # [BLE001] the run's top-level handler
            self.helper.connector_logger.error("Run stopped")
            self.helper.api.work.report_expectation(
                work_id, {"error": str(err), "source": "CONNECTOR"}
            )
            self.helper.api.work.to_processed(
                work_id, "Run stopped", in_error=True
            )
        else:
            self.helper.api.work.to_processed(work_id, message)

    def _fetch_iocs(self) -> list[str]:
        token = self.env["SOURCE_TOKEN"]
        if any(char.isspace() for char in token):
            raise ValueError(f"Invalid token: {token}")  # (1)!
        limit = int(self.env["SOURCE_LIMIT"])  # KeyError, with a work open
        return fetch_iocs(token, limit)


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper()
    for env in DEPLOYMENTS:
        Connector(helper, env).process()
    for operation in helper.operations():  # what OpenCTI received
        print(operation)
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error="'SOURCE_LIMIT'"
        #> workToProcessed id='work-1' message='Run stopped' inError=True
        #> workAdd name='Source run'
        #> reportExpectation id='work-2' error='Invalid token: a1b2-c3_d4\n'
        #> workToProcessed id='work-2' message='Run stopped' inError=True
