"""Do: each level as agreed: at pycti's default level, only the bug."""

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

IOCS = [  # what the source's API answers
    {"id": "ioc-1", "type": "domain", "value": "a.test"},
    {"id": "ioc-2", "type": "domain", "value": "b.test"},
    {"id": "ioc-3", "type": "url", "value": "c.test/x"},
    {"id": "ioc-4", "type": "ip"},  # no value: nobody planned for this
]
PDFS = {"ioc-1": "r1.pdf", "ioc-4": "r4.pdf"}  # the README: some have none
SUPPORTED = {"domain", "ip"}


# --8<-- [start:example]
class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper

    def process(self, iocs: list[dict[str, str]]) -> None:
        self.helper.connector_logger.info("Run started", {"iocs": len(iocs)})
        try:
            self._send_all(iocs)
        except Exception:  # noqa: BLE001 - the run's top (ERR-014)
            # The unexpected: ERROR, and pycti's error() adds the traceback.
            self.helper.connector_logger.error("Run stopped")  # (1)!

    def _send_all(self, iocs: list[dict[str, str]]) -> None:
        for ioc in iocs:
            self.helper.connector_logger.debug("Raw IOC", ioc)
            if ioc["type"] not in SUPPORTED:  # handled: the IOC is skipped
                self.helper.connector_logger.warning(
                    "IOC skipped", {"ioc_id": ioc["id"], "type": ioc["type"]}
                )
                continue
            if ioc["id"] not in PDFS:  # the README says this happens
                self.helper.connector_logger.info(
                    "No PDF (a known gap, see README)", {"ioc_id": ioc["id"]}
                )
            self.helper.connector_logger.debug(
                "Sending", {"value": ioc["value"]}
            )


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper(log_level="DEBUG")  # CONNECTOR_LOG_LEVEL=debug
    Connector(helper).process(IOCS)
    print("At level DEBUG, every record:")
    #> At level DEBUG, every record:
    for line in helper.logs.lines():
        print(line)
        #> INFO Run started {"iocs": 4}
        #> DEBUG Raw IOC {"id": "ioc-1", "type": "domain", "value": "a.test"}
        #> DEBUG Sending {"value": "a.test"}
        #> DEBUG Raw IOC {"id": "ioc-2", "type": "domain", "value": "b.test"}
        #> INFO No PDF (a known gap, see README) {"ioc_id": "ioc-2"}
        #> DEBUG Sending {"value": "b.test"}
        #> DEBUG Raw IOC {"id": "ioc-3", "type": "url", "value": "c.test/x"}
        #> WARNING IOC skipped {"ioc_id": "ioc-3", "type": "url"}
        #> DEBUG Raw IOC {"id": "ioc-4", "type": "ip"}
        #> ERROR Run stopped [traceback: KeyError: 'value']
    # pycti drops the records below its level: ERROR unless configured.
    helper = RecordingHelper(log_level="ERROR")
    Connector(helper).process(IOCS)
    print("At level ERROR, pycti's default, what an operator sees:")
    #> At level ERROR, pycti's default, what an operator sees:
    for line in helper.logs.lines():
        print(line)
        #> ERROR Run stopped [traceback: KeyError: 'value']
