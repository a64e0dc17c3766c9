"""Do: let helpers raise; catch Exception once, at the top of the run, log and alert."""

import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")  # a real connector uses helper.connector_logger


class WorkApi:
    """Stand-in for helper.api.work: records what the OpenCTI platform would receive."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def initiate_work(self, connector_id: str, friendly_name: str) -> str:
        self.calls.append(f"initiate_work {friendly_name!r}")
        return "w-1"

    def report_expectation(self, work_id: str, error: dict[str, str]) -> None:
        self.calls.append(f"report_expectation {work_id} {error}")

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.calls.append(f"to_processed {work_id} {message!r} in_error={in_error}")


class SourceClient:
    def fetch(self) -> dict[str, list[dict[str, str]]]:
        # The source's new API version renamed "data" to "items".
        return {"items": [{"id": "ioc-1"}, {"id": "ioc-2"}]}

    def get_ids(self) -> list[str]:
        return [item["id"] for item in self.fetch()["data"]]  # no except: a bug rises


def run(client: SourceClient, work: WorkApi) -> None:
    work_id = work.initiate_work("connector-id", "Source run")
    in_error = False
    try:
        for ioc_id in client.get_ids():
            logger.debug("Sending %s", ioc_id)
    except Exception as err:  # (1)!
        logger.exception("Unexpected error during the run")
        work.report_expectation(
            work_id, error={"error": repr(err), "source": "CONNECTOR"}
        )
        in_error = True
    finally:
        message = "Run failed, see the logs" if in_error else "Run finished"
        work.to_processed(work_id, message, in_error=in_error)


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    work = WorkApi()
    run(SourceClient(), work)
    for record in logs.buffer:
        print(record.levelname, record.getMessage(), record.exc_info is not None)
        #> ERROR Unexpected error during the run True
    for call in work.calls:
        print(call)
        #> initiate_work 'Source run'
        #> report_expectation w-1 {'error': "KeyError('data')", 'source': 'CONNECTOR'}
        #> to_processed w-1 'Run failed, see the logs' in_error=True
