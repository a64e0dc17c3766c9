"""Don't: build the work's closing message by reading back the log lines of the run."""

import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")
IOCS = {"ioc-1": "domain-name", "ioc-2": "mutex", "ioc-3": "ipv4-addr"}
SUPPORTED = {"domain-name", "ipv4-addr"}


class WorkAPI:
    """Stand-in for pycti's work API: a real connector calls helper.api.work."""

    def __init__(self) -> None:
        self.closed: list[str] = []

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.closed.append(f"{work_id}: {message!r} in_error={in_error}")


def run(work: WorkAPI, work_id: str) -> None:
    journal = BufferingHandler(capacity=1000)  # a second audience for the logs
    logger.addHandler(journal)
    logger.info("Imported state from previous run: last_run=2026-11-02")
    for ioc_id, ioc_type in IOCS.items():
        if ioc_type in SUPPORTED:
            logger.info(f"Imported {ioc_id}")  # [G004]
        else:
            logger.warning(f"Skipped {ioc_id}: unsupported type {ioc_type}")  # [G004]
    logger.removeHandler(journal)
    # The summary is rebuilt by reading the text the run logged.
    lines = [record.getMessage() for record in journal.buffer]
    imported = sum(line.startswith("Imported") for line in lines)  # (1)!
    skipped = [line.split()[1].rstrip(":") for line in lines if "Skipped" in line]
    work.to_processed(work_id, f"{imported} imported, skipped: {skipped}")


if __name__ == "__main__":
    work = WorkAPI()
    logger.setLevel(logging.DEBUG)
    run(work, "work-1")
    # pycti's default CONNECTOR_LOG_LEVEL is "error": INFO and WARNING are dropped.
    logger.setLevel(logging.ERROR)
    run(work, "work-2")
    for closing in work.closed:
        print(closing)
        #> work-1: "3 imported, skipped: ['ioc-2']" in_error=False
        #> work-2: '0 imported, skipped: []' in_error=False
