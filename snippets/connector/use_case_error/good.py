"""Do: raise a UseCaseError for an IOC the connector can't convert, skip it."""

import ipaddress
import re

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
class UseCaseError(Exception):
    """The connector can't process this entity; the run may skip it."""


class UnsupportedTypeError(UseCaseError):
    """The source sent a type the connector has no conversion for."""


class ConversionError(UseCaseError):
    """The type is supported but this value can't be converted."""


# RFC 1035 labels, at least two of them: no quote, backslash or space.
DOMAIN = re.compile(
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}"
)


def to_pattern(ioc: dict[str, str]) -> str:
    """The STIX pattern of an IOC: only from a value checked for its type."""
    if ioc["type"] == "domain":
        if not DOMAIN.fullmatch(ioc["value"]):  # (1)!
            raise ConversionError("value is not a domain name")
        return f"[domain-name:value = '{ioc['value'].lower()}']"
    if ioc["type"] != "ip":
        raise UnsupportedTypeError(f"unsupported IOC type {ioc['type']!r}")
    try:
        address = ipaddress.ip_address(ioc["value"])
    except ValueError as err:
        raise ConversionError("value is not an IP address") from err
    if (
        isinstance(address, ipaddress.IPv6Address)
        and address.scope_id is not None
    ):
        raise ConversionError("IP address has a zone index")  # (2)!
    return f"[ipv{address.version}-addr:value = '{address}']"


class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper

    def process(self, iocs: list[dict[str, str]]) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        sent: list[str] = []
        skipped: list[str] = []
        in_error = True  # until the end of the try: Ctrl+C and SIGTERM too
        try:
            self._send_all(iocs, sent, skipped)
            in_error = False
        finally:
            message = f"{len(sent)} sent, {len(skipped)} skipped"
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )

    def _send_all(
        self, iocs: list[dict[str, str]], sent: list[str], skipped: list[str]
    ) -> None:
        for ioc in iocs:
            try:  # (3)!
                send_pattern(to_pattern(ioc))
            except UseCaseError as err:
                skipped.append(ioc["id"])
                self.helper.connector_logger.warning(
                    "IOC skipped", {"ioc_id": ioc["id"], "reason": str(err)}
                )
            else:
                sent.append(ioc["id"])


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper()
    Connector(helper).process(IOCS)
    for pattern in SENT:  # the Indicators OpenCTI would receive
        print(pattern)
        #> [domain-name:value = 'evil.test']
        #> [ipv4-addr:value = '198.51.100.7']
    for record in helper.logs.records:  # pycti adds no traceback to a WARNING
        meta = vars(record)["attributes"]
        print(record.levelname, meta["ioc_id"], meta["reason"])
        #> WARNING ioc-2 value is not a domain name
        #> WARNING ioc-3 unsupported IOC type 'mutex'
        #> WARNING ioc-5 value is not an IP address
    opened, closed = helper.operations()  # what OpenCTI received
    print(opened)
    #> workAdd name='Source run'
    print(closed)
    #> workToProcessed id='work-1' message='2 sent, 3 skipped' inError=False
