"""Don't: let raw transport errors out of the client; the run loop can't tell whose fault."""

import json
import logging
import urllib.error
from email.message import Message

logger = logging.getLogger("connector")

ANSWERS: dict[str, bytes | int | None] = {  # what the feed answers, IOC by IOC
    "ioc-1": b'{"value": "evil.example"}',
    "ioc-2": 503,
    "ioc-3": b"<html>Down for maintenance</html>",
    "ioc-4": None,  # no answer in time
    "ioc-5": b'{"ip": "198.51.100.7"}',
    "ioc-6": b'{"value": "198.51.100.7"}',
}


def transport(url: str) -> bytes:
    """Fake HTTP GET: no network. A real client would use urllib or requests."""
    answer = ANSWERS[url.rsplit("/", 1)[1]]
    if answer is None:
        raise TimeoutError("The read operation timed out")
    if isinstance(answer, int):
        raise urllib.error.HTTPError(
            url, answer, "Service Unavailable", Message(), None
        )
    return answer


class WorkAPI:
    """Stand-in for pycti's work API: a real connector calls helper.api.work."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def report_expectation(self, work_id: str, error: dict[str, str]) -> None:
        self.calls.append(f"report_expectation({error['source']}): {error['error']}")

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.calls.append(f"to_processed: {message!r}, in_error={in_error}")


def get_ioc(ioc_id: str) -> dict[str, str]:
    body = transport(f"https://feed.example/iocs/{ioc_id}")
    return dict(json.loads(body))  # a maintenance page raises JSONDecodeError


def run(work: WorkAPI, work_id: str) -> list[str]:
    imported = []
    try:
        for ioc_id in ANSWERS:
            try:
                imported.append(get_ioc(ioc_id)["value"])
            except urllib.error.URLError as err:  # the one failure the author expected
                logger.warning("Skipping %s: %s", ioc_id, err)
    except Exception as err:  # [BLE001] the run's top-level handler
        work.report_expectation(work_id, {"error": str(err), "source": "CONNECTOR"})
        work.to_processed(work_id, "Run failed", in_error=True)
    return imported


if __name__ == "__main__":
    work = WorkAPI()
    print("imported:", run(work, "work-1"))
    #> imported: ['evil.example']
    for call in work.calls:
        print(call)
        #> report_expectation(CONNECTOR): Expecting value: line 1 column 1 (char 0)
        #> to_processed: 'Run failed', in_error=True
