"""Don't: log a handled skip with its traceback: it reads like a crash."""

import logging
import traceback

# A module of the connector that logs through the standard library's logger.
logger = logging.getLogger("connector.source")


def fetch(ioc_id: str) -> str:
    if ioc_id == "ioc-2":
        raise TimeoutError(f"{ioc_id}: the read timed out")
    return f"{ioc_id}.example"


def run(ids: list[str]) -> list[str]:
    sent = []
    for ioc_id in ids:
        try:
            sent.append(fetch(ioc_id))
        except TimeoutError:
            # Handled: this IOC is skipped, and the run goes on.
            logger.warning("IOC skipped", exc_info=True)  # [OCE009]
    return sent


class Shipper(logging.Handler):
    """Keeps each record, as the log shipper of the platform receives it."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


if __name__ == "__main__":
    shipper = Shipper()
    logger.addHandler(shipper)
    logger.propagate = False
    print("sent:", run(["ioc-1", "ioc-2", "ioc-3"]))
    #> sent: ['ioc-1.example', 'ioc-3.example']
    record = shipper.records[0]
    print(record.levelname, record.getMessage())
    #> WARNING IOC skipped
    error = record.exc_info[1] if record.exc_info else None
    trace = traceback.format_exception(error)
    print("then:", trace[0].strip())
    #> then: Traceback (most recent call last):
    print("its last line:", trace[-1].strip())
    #> its last line: TimeoutError: ioc-2: the read timed out
