"""Do: close the work, record the state and reset the run in finally."""

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

RUN_STARTED = "2026-11-20T10:00:00Z"  # datetime.now(UTC) in a real connector


def send_bundle(ioc_id: str) -> None:
    """Stands for helper.send_stix2_bundle, which refuses an empty bundle."""
    if ioc_id == "ioc-3":
        raise ValueError("Nothing to import")


# --8<-- [start:example]
class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper
        self.work_id: str | None = None

    def process(self, ids: list[str]) -> None:
        state = self.helper.get_state() or {}
        self.work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            self._send_all(ids, state)
            in_error = False
        except Exception as err:  # noqa: BLE001 - the run's top (ERR-014)
            # pycti's error() logs the traceback; OpenCTI shows the report.
            self.helper.connector_logger.error("Run stopped")
            reason = f"{type(err).__name__}: {err}"
            self.helper.api.work.report_expectation(
                self.work_id, {"error": reason, "source": "CONNECTOR"}
            )
        finally:  # (1)!
            # Reset and record first: closing the work calls the platform,
            # which can fail too.
            work_id, self.work_id = self.work_id, None
            state["last_run"] = RUN_STARTED
            self.helper.set_state(state)
            message = f"Sent up to {state.get('last_ingested')}"
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )

    def _send_all(self, ids: list[str], state: dict[str, str]) -> None:
        for ioc_id in ids:
            send_bundle(ioc_id)
            state["last_ingested"] = ioc_id  # once it is really sent


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper(state={"last_ingested": "ioc-0"})
    connector = Connector(helper)
    connector.process(["ioc-1", "ioc-2", "ioc-3", "ioc-4"])
    for line in helper.logs.lines():  # pycti's error() adds the traceback
        print(line)
        #> ERROR Run stopped [traceback: ValueError: Nothing to import]
    for operation in helper.operations():  # what OpenCTI received
        print(operation)
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='ValueError: Nothing to import'
        #> workToProcessed id='work-1' message='Sent up to ioc-2' inError=True
    print(helper.get_state())  # ioc-1 and ioc-2 were sent, and the state knows
    #> {'last_ingested': 'ioc-2', 'last_run': '2026-11-20T10:00:00Z'}
    print(connector.work_id)  # the next run starts clean
    #> None
