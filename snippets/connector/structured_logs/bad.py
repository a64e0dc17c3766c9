"""Don't: build the work's closing message by reading back the run's logs."""

from typing import Any

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

IOCS = {"ioc-1": "domain-name", "ioc-2": "mutex", "ioc-3": "ipv4-addr"}
SUPPORTED = {"domain-name", "ipv4-addr"}
LAST_RUN = "2026-11-02"  # from helper.get_state() in a real connector


# --8<-- [start:example]
class Journal:
    """A second audience for the logs: keeps the text of each record."""

    level = 0  # the logging module hands it every record it lets through

    def __init__(self) -> None:
        self.lines: list[str] = []

    def handle(self, record: Any) -> None:
        self.lines.append(record.getMessage())

    def message(self) -> str:  # the summary, rebuilt from the text
        imported = sum(line.startswith("Imported") for line in self.lines)
        skipped = [
            line.split()[1].rstrip(":")
            for line in self.lines
            if line.startswith("Skipped")
        ]
        return f"{imported} imported, skipped: {skipped}"


class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper

    def process(self, iocs: dict[str, str]) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        journal = Journal()
        pycti_logger = self.helper.connector_logger.local_logger
        pycti_logger.addHandler(journal)  # (1)!
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            self._import_all(iocs)
            in_error = False
        finally:
            pycti_logger.removeHandler(journal)
            self.helper.api.work.to_processed(
                work_id, journal.message(), in_error=in_error
            )

    def _import_all(self, iocs: dict[str, str]) -> None:
        log = self.helper.connector_logger
        log.info(f"Imported state: last_run={LAST_RUN}")  # [G004]
        for ioc_id, ioc_type in iocs.items():
            if ioc_type in SUPPORTED:
                log.info(f"Imported {ioc_id}")  # [G004]
            else:
                log.warning(f"Skipped {ioc_id}: type {ioc_type}")  # [G004]


# --8<-- [end:example]
if __name__ == "__main__":
    # DEBUG on the developer's machine; ERROR is pycti's default level.
    for level in ("DEBUG", "ERROR"):
        helper = RecordingHelper(log_level=level)
        Connector(helper).process(IOCS)
        message = helper.api.sent[-1].variables["message"]  # workToProcessed
        print(f"{level}: {len(helper.logs.records)} records, {message!r}")
        #> DEBUG: 4 records, "3 imported, skipped: ['ioc-2']"
        #> ERROR: 0 records, '0 imported, skipped: []'
