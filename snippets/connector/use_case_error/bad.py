"""Don't: put values in a pattern unchecked; let one bad IOC end the run."""

import ipaddress

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

IOCS = [  # what the source sent
    {"id": "ioc-1", "type": "domain", "value": "evil.test"},
    {
        "id": "ioc-2",
        "type": "domain",
        "value": "x.test'] OR [domain-name:value LIKE '%",
    },
    {"id": "ioc-3", "type": "mutex", "value": "Global\\Mtx42"},
    {"id": "ioc-4", "type": "ip", "value": "198.51.100.7"},
    {"id": "ioc-5", "type": "ip", "value": "198.51.100.300"},
]
SENT: list[str] = []


def send_pattern(pattern: str) -> None:
    """Stands for an Indicator in helper.send_stix2_bundle."""
    SENT.append(pattern)


# --8<-- [start:example]
def to_pattern(ioc: dict[str, str]) -> str:
    """The STIX pattern of an IOC."""
    if ioc["type"] == "domain":
        return f"[domain-name:value = '{ioc['value']}']"  # (1)!
    if ioc["type"] != "ip":
        raise ValueError(f"Unsupported IOC type {ioc['type']}")
    address = ipaddress.ip_address(ioc["value"])  # ValueError: no IOC id
    return f"[ipv{address.version}-addr:value = '{address}']"


class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper

    def process(self, iocs: list[dict[str, str]]) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        sent: list[str] = []
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            self._send_all(iocs, sent)
            in_error = False
        except Exception as err:  # [BLE001] the run's top-level handler
            self.helper.api.work.report_expectation(
                work_id, {"error": str(err), "source": "CONNECTOR"}
            )
        finally:
            message = f"{len(sent)} sent"
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )

    def _send_all(self, iocs: list[dict[str, str]], sent: list[str]) -> None:
        for ioc in iocs:  # (2)!
            send_pattern(to_pattern(ioc))
            sent.append(ioc["id"])


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper()
    Connector(helper).process(IOCS)
    for pattern in SENT:  # the Indicators OpenCTI would receive
        print(pattern)
        #> [domain-name:value = 'evil.test']
        #> [domain-name:value = 'x.test'] OR [domain-name:value LIKE '%']
    for operation in helper.operations():  # what OpenCTI received
        print(operation)
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='Unsupported IOC type mutex'
        #> workToProcessed id='work-1' message='2 sent' inError=True
