"""Do: raise a UseCaseError for an IOC the connector can't process, skip it, go on."""

import ipaddress
import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")
IOCS = [
    {"id": "ioc-1", "type": "domain", "value": "evil.example"},
    {"id": "ioc-2", "type": "mutex", "value": "Global\\Mtx42"},
    {"id": "ioc-3", "type": "ip", "value": "198.51.100.7"},
    {"id": "ioc-4", "type": "ip", "value": "198.51.100.300"},
    {"id": "ioc-5", "type": "domain", "value": "bad.example"},
]


class WorkAPI:
    """Stand-in for pycti's work API: a real connector calls helper.api.work."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.calls.append(f"to_processed: {message!r}, in_error={in_error}")


class UseCaseError(Exception):
    """The connector can't process this entity; the run may skip it."""


class UnsupportedTypeError(UseCaseError):
    """The source sent a type the connector has no conversion for."""


class ConversionError(UseCaseError):
    """The type is supported but this value can't be converted."""


def convert(ioc: dict[str, str]) -> str:
    if ioc["type"] == "domain":
        return f"[domain-name:value = '{ioc['value']}']"
    if ioc["type"] != "ip":
        raise UnsupportedTypeError(f"unsupported IOC type {ioc['type']!r}")
    try:
        address = ipaddress.ip_address(ioc["value"])
    except ValueError as err:
        raise ConversionError(f"invalid IP address {ioc['value']!r}") from err
    return f"[ipv{address.version}-addr:value = '{address}']"


def run(work: WorkAPI, work_id: str) -> None:
    sent, skipped = [], []
    for ioc in IOCS:
        try:  # (1)!
            convert(ioc)
        except UseCaseError as err:
            skipped.append(ioc["id"])
            logger.warning(
                "IOC skipped", extra={"ioc_id": ioc["id"], "reason": str(err)}
            )
        else:
            sent.append(ioc["id"])
    work.to_processed(work_id, f"{len(sent)} IOCs sent, skipped: {skipped}")


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    work = WorkAPI()
    run(work, "work-1")
    for record in logs.buffer:
        fields = vars(record)
        print(record.levelname, record.getMessage(), fields["ioc_id"], fields["reason"])
        #> WARNING IOC skipped ioc-2 unsupported IOC type 'mutex'
        #> WARNING IOC skipped ioc-4 invalid IP address '198.51.100.300'
    print(*work.calls)
    #> to_processed: "3 IOCs sent, skipped: ['ioc-2', 'ioc-4']", in_error=False
