"""Don't: read each setting where it is first used, deep inside a run."""

DEPLOYMENTS = [
    {"SOURCE_TOKEN": "5f2b9c0e7a1d4e6f"},  # SOURCE_LIMIT forgotten
    # The secret file ends with a newline: a classic with Docker and Kubernetes secrets.
    {"SOURCE_TOKEN": "5f2b9c0e7a1d4e6f\n", "SOURCE_LIMIT": "50"},
]


class WorkAPI:
    """Stand-in for pycti's work API: a real connector calls helper.api.work."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.opened = 0

    def initiate_work(self, connector_id: str, friendly_name: str) -> str:
        self.opened += 1
        work_id = f"work-{self.opened}"
        self.calls.append(f"initiate_work -> {work_id}")
        return work_id

    def report_expectation(self, work_id: str, error: dict[str, str]) -> None:
        self.calls.append(f"report_expectation({work_id}): {error['error']}")

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        self.calls.append(f"to_processed({work_id}): {message}, in_error={in_error}")


def fetch_iocs(env: dict[str, str]) -> list[str]:
    token = env["SOURCE_TOKEN"]
    if not token.isalnum():
        raise ValueError(f"Invalid token {token!r}")  # (1)!
    limit = int(env["SOURCE_LIMIT"])  # a KeyError, and a work is already open
    return [f"ioc-{n}" for n in range(limit)]


def run(env: dict[str, str], work: WorkAPI) -> None:
    work_id = work.initiate_work("connector-1", "IOC feed run")  # [OCE002]
    try:
        fetch_iocs(env)
    except Exception as err:  # [BLE001] the run's top-level handler
        work.report_expectation(work_id, {"error": str(err), "source": "CONNECTOR"})
        work.to_processed(work_id, "Run failed", in_error=True)


if __name__ == "__main__":
    work = WorkAPI()
    for env in DEPLOYMENTS:
        run(env, work)
    for call in work.calls:
        print(call)
        #> initiate_work -> work-1
        #> report_expectation(work-1): 'SOURCE_LIMIT'
        #> to_processed(work-1): Run failed, in_error=True
        #> initiate_work -> work-2
        #> report_expectation(work-2): Invalid token '5f2b9c0e7a1d4e6f\n'
        #> to_processed(work-2): Run failed, in_error=True
