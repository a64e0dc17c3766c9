"""Don't: catch a base class before its subclass, so the subclass handler never runs."""

import logging
from collections import deque
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


class RateLimitError(DataRetrievalError):
    """The source asked us to slow down: the same request works a bit later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"429 Too Many Requests, retry after {retry_after}s")
        self.retry_after = retry_after


class SourceClient:
    """Answers 429 the first time ioc-2 is asked for, and 404 for ioc-3."""

    def __init__(self) -> None:
        self.throttled: set[str] = set()

    def get_ioc(self, ioc_id: str) -> str:
        if ioc_id == "ioc-2" and ioc_id not in self.throttled:
            self.throttled.add(ioc_id)
            raise RateLimitError(retry_after=30)
        if ioc_id == "ioc-3":
            raise DataRetrievalError("404 Not Found")
        return ioc_id


def run(client: SourceClient, ids: list[str]) -> list[str]:
    sent, pending = [], deque(ids)
    while pending:
        ioc_id = pending.popleft()
        try:
            sent.append(client.get_ioc(ioc_id))
        except DataRetrievalError as err:  # also catches every RateLimitError
            logger.warning("Skipping %s: %s", ioc_id, err)
        except RateLimitError as err:  # [OCE007] never runs
            logger.info("%s: rate limited, retrying in %ss", ioc_id, err.retry_after)
            pending.append(ioc_id)  # a real connector waits err.retry_after first
    return sent


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    print("Sent:", run(SourceClient(), ["ioc-1", "ioc-2", "ioc-3", "ioc-4"]))
    #> Sent: ['ioc-1', 'ioc-4']
    for record in logs.buffer:
        print(record.levelname, record.getMessage())
        #> WARNING Skipping ioc-2: 429 Too Many Requests, retry after 30s
        #> WARNING Skipping ioc-3: 404 Not Found
