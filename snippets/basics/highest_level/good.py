"""Do: the client only raises; the run, which knows what comes next, decides."""

import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")


class HTTPError(Exception):
    """Stand-in for requests.HTTPError."""


class DataRetrievalError(Exception):
    """The data source could not provide the data asked for."""


class SourceClient:
    def __init__(self, failing: str) -> None:
        self.failing = failing  # the one path that fails, to stage each scenario

    def _get(self, path: str) -> str:
        if path == self.failing:
            raise HTTPError("503 Unavailable" if path == "/iocs" else "404 Not Found")
        return "ioc-1,ioc-2,ioc-3" if path == "/iocs" else path[6:] + ".example"

    def get(self, path: str) -> str:
        try:
            body = self._get(path)
        except HTTPError as err:
            raise DataRetrievalError(f"GET {path}: {err}") from err
        return body


def run(client: SourceClient) -> list[str]:
    """The application layer: the one place that knows what each failure means."""
    try:
        ids = client.get("/iocs").split(",")
    except DataRetrievalError as err:
        # No list, nothing to do: end this run; the next scheduled run tries again.
        logger.warning("Run ended early: %s", err)
        return []
    sent = []
    for ioc_id in ids:
        try:
            sent.append(client.get(f"/iocs/{ioc_id}"))
        except DataRetrievalError as err:
            # One IOC the source can't serve: skip it, the others are fine.
            logger.warning("IOC %s skipped: %s", ioc_id, err)
    return sent


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    # The same exception from the same client, two different decisions.
    print(run(SourceClient(failing="/iocs/ioc-2")))
    #> ['ioc-1.example', 'ioc-3.example']
    print(run(SourceClient(failing="/iocs")))
    #> []
    for record in logs.buffer:
        print(record.levelname, record.getMessage())
        #> WARNING IOC ioc-2 skipped: GET /iocs/ioc-2: 404 Not Found
        #> WARNING Run ended early: GET /iocs: 503 Unavailable
