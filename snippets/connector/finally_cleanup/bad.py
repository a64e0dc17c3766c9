"""Don't: close the work and save the state after the loop, where an error never gets."""

RUN_STARTED = "2026-11-20T10:00:00Z"  # datetime.now(timezone.utc) in a real connector


class WorkApi:
    """Stand-in for helper.api.work: records what the OpenCTI platform would receive."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def initiate_work(self, connector_id: str, friendly_name: str) -> str:
        self.calls.append(f"initiate_work {friendly_name!r}")
        return "w-2"

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.calls.append(f"to_processed {work_id} {message!r} in_error={in_error}")


class Connector:
    def __init__(self, work: WorkApi) -> None:
        self.work = work
        self.work_id: str | None = None
        # What helper.get_state() returned at start-up: the previous run's state.
        self.state = {"last_run": "2026-11-20T09:00:00Z", "last_ingested": "ioc-0"}

    def send(self, ioc_id: str) -> None:
        if ioc_id == "ioc-3":  # converts to nothing: pycti refuses an empty bundle
            raise ValueError("Nothing to import")

    def run(self, ids: list[str]) -> None:
        self.work_id = self.work.initiate_work("connector-id", "Source run")  # [OCE002]
        for ioc_id in ids:
            self.send(ioc_id)
        # Cleanup after the loop: skipped as soon as anything above raises.
        self.work.to_processed(self.work_id, f"{len(ids)} IOCs ingested")
        self.state = {"last_run": RUN_STARTED, "last_ingested": ids[-1]}
        self.work_id = None


if __name__ == "__main__":
    connector = Connector(WorkApi())
    try:
        connector.run(["ioc-1", "ioc-2", "ioc-3", "ioc-4"])
    except ValueError as err:
        # pycti's scheduler would log this at ERROR, then kill the process (exit 143).
        print("Run crashed:", err)
        #> Run crashed: Nothing to import
    for call in connector.work.calls:  # no to_processed: "in progress" for ever
        print(call)
        #> initiate_work 'Source run'
    print(connector.state)  # ioc-1 and ioc-2 were sent, but the state doesn't know
    #> {'last_run': '2026-11-20T09:00:00Z', 'last_ingested': 'ioc-0'}
    print(connector.work_id)  # the next run in this process starts with a stale id
    #> w-2
