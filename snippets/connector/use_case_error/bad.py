"""Don't: let one IOC the connector can't convert end the run for all the others."""

import ipaddress

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

    def report_expectation(self, work_id: str, error: dict[str, str]) -> None:
        self.calls.append(f"report_expectation({error['source']}): {error['error']}")

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.calls.append(f"to_processed: {message!r}, in_error={in_error}")


def convert(ioc: dict[str, str]) -> str:
    if ioc["type"] == "domain":
        return f"[domain-name:value = '{ioc['value']}']"
    if ioc["type"] == "ip":
        address = ipaddress.ip_address(ioc["value"])  # ValueError on a bad address
        return f"[ipv{address.version}-addr:value = '{address}']"
    raise ValueError(f"Unsupported IOC type {ioc['type']}")


def run(work: WorkAPI, work_id: str) -> list[str]:
    sent = []
    try:
        for ioc in IOCS:  # (1)!
            convert(ioc)
            sent.append(ioc["id"])
    except Exception as err:  # [BLE001] the run's top-level handler
        work.report_expectation(work_id, {"error": str(err), "source": "CONNECTOR"})
        work.to_processed(work_id, "Run failed", in_error=True)
    else:
        work.to_processed(work_id, f"{len(sent)} IOCs sent")
    return sent


if __name__ == "__main__":
    work = WorkAPI()
    print("sent:", run(work, "work-1"))
    #> sent: ['ioc-1']
    for call in work.calls:
        print(call)
        #> report_expectation(CONNECTOR): Unsupported IOC type mutex
        #> to_processed: 'Run failed', in_error=True
