"""Don't: close the work and save the state after the loop."""

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
        self.work_id = self.helper.api.work.initiate_work(  # [OCE002]
            self.helper.connect_id, "Source run"
        )
        for ioc_id in ids:
            send_bundle(ioc_id)
        # Cleanup after the loop: skipped as soon as anything above raises.
        self.helper.api.work.to_processed(self.work_id, f"Sent {len(ids)}")
        state.update(last_run=RUN_STARTED, last_ingested=ids[-1])
        self.helper.set_state(state)
        self.work_id = None


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper(state={"last_ingested": "ioc-0"})
    connector = Connector(helper)
    try:
        connector.process(["ioc-1", "ioc-2", "ioc-3", "ioc-4"])
    except ValueError as err:
        # pycti's scheduler logs it at ERROR, then kills the process: exit 143.
        print("Run crashed:", err)
        #> Run crashed: Nothing to import
    for operation in helper.operations():  # no workToProcessed: in progress
        print(operation)
        #> workAdd name='Source run'
    print(helper.get_state())  # ioc-1 and ioc-2 were sent: the state can't say
    #> {'last_ingested': 'ioc-0'}
    print(connector.work_id)  # a next run in this process starts with it
    #> work-1
