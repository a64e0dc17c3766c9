"""Do: count what happens as it happens, and log it with structured fields."""

import logging
from dataclasses import dataclass, field
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")
IOCS = {"ioc-1": "domain-name", "ioc-2": "mutex", "ioc-3": "ipv4-addr"}
SUPPORTED = {"domain-name", "ipv4-addr"}
STRUCTURED = ("last_run", "ioc_id", "reason")  # the fields a log pipeline indexes


class WorkAPI:
    """Stand-in for pycti's work API: a real connector calls helper.api.work."""

    def __init__(self) -> None:
        self.closed: list[str] = []

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.closed.append(f"{work_id}: {message!r} in_error={in_error}")


@dataclass
class RunReport:
    imported: int = 0
    skipped: list[str] = field(default_factory=list)

    def message(self) -> str:
        return f"{self.imported} imported, skipped: {self.skipped}"


def run(work: WorkAPI, work_id: str) -> None:
    report = RunReport()
    logger.info("State loaded", extra={"last_run": "2026-11-02"})
    for ioc_id, ioc_type in IOCS.items():
        if ioc_type in SUPPORTED:
            report.imported += 1
            logger.debug("IOC imported", extra={"ioc_id": ioc_id})
        else:
            report.skipped.append(ioc_id)
            reason = f"unsupported type {ioc_type}"
            logger.warning("IOC skipped", extra={"ioc_id": ioc_id, "reason": reason})
    work.to_processed(work_id, report.message())  # (1)!


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    work = WorkAPI()
    logger.setLevel(logging.DEBUG)
    run(work, "work-1")
    logger.setLevel(logging.ERROR)  # pycti's default level changes the logs only
    run(work, "work-2")
    for closing in work.closed:
        print(closing)
        #> work-1: "2 imported, skipped: ['ioc-2']" in_error=False
        #> work-2: "2 imported, skipped: ['ioc-2']" in_error=False
    for record in logs.buffer:
        fields = {k: v for k, v in vars(record).items() if k in STRUCTURED}
        print(record.levelname, record.getMessage(), fields)
        #> INFO State loaded {'last_run': '2026-11-02'}
        #> DEBUG IOC imported {'ioc_id': 'ioc-1'}
        #> WARNING IOC skipped {'ioc_id': 'ioc-2', 'reason': 'unsupported type mutex'}
        #> DEBUG IOC imported {'ioc_id': 'ioc-3'}
