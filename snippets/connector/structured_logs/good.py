"""Do: count what happens as it happens, and log it with meta fields."""

from dataclasses import dataclass, field

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

IOCS = {"ioc-1": "domain-name", "ioc-2": "mutex", "ioc-3": "ipv4-addr"}
SUPPORTED = {"domain-name", "ipv4-addr"}
LAST_RUN = "2026-11-02"  # from helper.get_state() in a real connector


# --8<-- [start:example]
@dataclass
class RunReport:
    """What the run did, counted while it works."""

    imported: int = 0
    skipped: list[str] = field(default_factory=list)

    def message(self) -> str:  # the summary, from the counters
        return f"{self.imported} imported, skipped: {self.skipped}"


class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper

    def process(self, iocs: dict[str, str]) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        report = RunReport()
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            self._import_all(iocs, report)
            in_error = False
        finally:
            self.helper.api.work.to_processed(
                work_id, report.message(), in_error=in_error  # (1)!
            )

    def _import_all(self, iocs: dict[str, str], report: RunReport) -> None:
        log = self.helper.connector_logger
        log.info("State loaded", {"last_run": LAST_RUN})
        for ioc_id, ioc_type in iocs.items():
            if ioc_type in SUPPORTED:
                report.imported += 1
                log.debug("IOC imported", {"ioc_id": ioc_id})
            else:
                report.skipped.append(ioc_id)
                log.warning(
                    "IOC skipped", {"ioc_id": ioc_id, "type": ioc_type}
                )


# --8<-- [end:example]
if __name__ == "__main__":
    # DEBUG on the developer's machine; ERROR is pycti's default level.
    helpers = []
    for level in ("DEBUG", "ERROR"):
        helper = RecordingHelper(log_level=level)
        Connector(helper).process(IOCS)
        message = helper.api.sent[-1].variables["message"]  # workToProcessed
        print(f"{level}: {len(helper.logs.records)} records, {message!r}")
        #> DEBUG: 4 records, "2 imported, skipped: ['ioc-2']"
        #> ERROR: 0 records, "2 imported, skipped: ['ioc-2']"
        helpers.append(helper)
    for line in helpers[0].logs.lines():  # the DEBUG run: fields, not prose
        print(line)
        #> INFO State loaded {"last_run": "2026-11-02"}
        #> DEBUG IOC imported {"ioc_id": "ioc-1"}
        #> WARNING IOC skipped {"ioc_id": "ioc-2", "type": "mutex"}
        #> DEBUG IOC imported {"ioc_id": "ioc-3"}
