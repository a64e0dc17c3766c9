"""Don't: pick levels by feel: at pycti's default level, noise and no bug."""

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
        except Exception as err:  # [BLE001]
            # The one real bug of the run: a WARNING, and no traceback.
            self.helper.connector_logger.warning(
                "Run stopped", {"error": repr(err)}
            )

    def _send_all(self, iocs: list[dict[str, str]]) -> None:
        for ioc in iocs:
            self.helper.connector_logger.info("Raw IOC", ioc)  # for debugging
            if ioc["type"] not in SUPPORTED:  # handled: the IOC is skipped
                self.helper.connector_logger.error(  # [OCE005]
                    "IOC skipped", {"ioc_id": ioc["id"], "type": ioc["type"]}
                )
                continue
            if ioc["id"] not in PDFS:  # the README says this happens
                self.helper.connector_logger.warning(
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
        #> INFO Raw IOC {"id": "ioc-1", "type": "domain", "value": "a.test"}
        #> DEBUG Sending {"value": "a.test"}
        #> INFO Raw IOC {"id": "ioc-2", "type": "domain", "value": "b.test"}
        #> WARNING No PDF (a known gap, see README) {"ioc_id": "ioc-2"}
        #> DEBUG Sending {"value": "b.test"}
        #> INFO Raw IOC {"id": "ioc-3", "type": "url", "value": "c.test/x"}
        #> ERROR IOC skipped {"ioc_id": "ioc-3", "type": "url"}
        #> INFO Raw IOC {"id": "ioc-4", "type": "ip"}
        #> WARNING Run stopped {"error": "KeyError('value')"}
    # pycti drops the records below its level: ERROR unless configured.
    helper = RecordingHelper(log_level="ERROR")
    Connector(helper).process(IOCS)
    print("At level ERROR, pycti's default, what an operator sees:")
    #> At level ERROR, pycti's default, what an operator sees:
    for line in helper.logs.lines():
        print(line)
        #> ERROR IOC skipped {"ioc_id": "ioc-3", "type": "url"}
