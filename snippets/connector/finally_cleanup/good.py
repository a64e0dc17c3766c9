"""Do: close the work, record what was really handled and reset the run in finally."""

import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")  # a real connector uses helper.connector_logger
RUN_STARTED = "2026-11-20T10:00:00Z"  # datetime.now(timezone.utc) in a real connector


class WorkApi:
    """Stand-in for helper.api.work: records what the OpenCTI platform would receive."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def initiate_work(self, connector_id: str, friendly_name: str) -> str:
        self.calls.append(f"initiate_work {friendly_name!r}")
        return "w-2"

    def report_expectation(self, work_id: str, error: dict[str, str]) -> None:
        self.calls.append(f"report_expectation {work_id} {error['error']!r}")

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
        self.work_id = self.work.initiate_work("connector-id", "Source run")
        last_ingested, in_error = self.state["last_ingested"], False
        try:
            for ioc_id in ids:
                self.send(ioc_id)
                last_ingested = ioc_id  # only once it is really sent
        except Exception as err:
            logger.exception("Unexpected error, run stopped")
            error = {"error": repr(err), "source": "CONNECTOR"}
            self.work.report_expectation(self.work_id, error=error)
            in_error = True
        finally:  # (1)!
            message = f"Ingested up to {last_ingested}"
            self.work.to_processed(self.work_id, message, in_error=in_error)
            self.state = {"last_run": RUN_STARTED, "last_ingested": last_ingested}
            self.work_id = None


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    connector = Connector(WorkApi())
    connector.run(["ioc-1", "ioc-2", "ioc-3", "ioc-4"])
    for record in logs.buffer:
        print(record.levelname, record.getMessage(), record.exc_info is not None)
        #> ERROR Unexpected error, run stopped True
    for call in connector.work.calls:
        print(call)
        #> initiate_work 'Source run'
        #> report_expectation w-2 "ValueError('Nothing to import')"
        #> to_processed w-2 'Ingested up to ioc-2' in_error=True
    print(connector.state)  # helper.set_state(...) in a real connector
    #> {'last_run': '2026-11-20T10:00:00Z', 'last_ingested': 'ioc-2'}
    print(connector.work_id)
    #> None
