"""Don't: catch Exception deep in a helper, so a broken run reports success."""

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
        try:
            return [item["id"] for item in self.fetch()["data"]]
        except Exception:  # [BLE001]
            return []  # "nothing new today": the KeyError is gone for good


def run(client: SourceClient, work: WorkApi) -> None:
    work_id = work.initiate_work("connector-id", "Source run")  # [OCE002]
    ids = client.get_ids()
    for ioc_id in ids:
        logger.debug("Sending %s", ioc_id)
    work.to_processed(work_id, f"{len(ids)} IOCs ingested")


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    work = WorkApi()
    run(SourceClient(), work)
    print(len(logs.buffer), "log records")
    #> 0 log records
    for call in work.calls:
        print(call)
        #> initiate_work 'Source run'
        #> to_processed w-1 '0 IOCs ingested' in_error=False
