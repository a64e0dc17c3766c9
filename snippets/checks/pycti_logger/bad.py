"""Don't: pass exc_info= to pycti's logger: the handler meant to skip an IOC raises."""

import logging
from typing import Any

FETCHED: list[str] = []


class AppLogger:
    """Stand-in for the class of pycti's helper.connector_logger, with its signatures."""

    def __init__(self, name: str) -> None:
        self.local_logger = logging.getLogger(name)

    def warning(self, message: str, meta: dict[str, object] | None = None) -> None:
        extra = None if meta is None else {"attributes": meta}
        self.local_logger.warning(message, extra=extra)


class Helper:
    """Stand-in for pycti's OpenCTIConnectorHelper: only its logger."""

    def __init__(self) -> None:
        # pycti has no type hints: to mypy, its logger is Any, and any call type-checks.
        self.connector_logger: Any = AppLogger("connector")


def fetch(ioc_id: str) -> str:
    FETCHED.append(ioc_id)
    if ioc_id == "ioc-2":
        raise TimeoutError(f"{ioc_id}: the read operation timed out")
    return f"{ioc_id}.example"


def run(helper: Helper, ids: list[str]) -> list[str]:
    sent = []
    for ioc_id in ids:
        try:
            sent.append(fetch(ioc_id))
        except TimeoutError as err:
            # Meant to skip this IOC with a WARNING, and go on with the next one.
            helper.connector_logger.warning("IOC skipped", exc_info=err)  # [OCE001]
    return sent


if __name__ == "__main__":
    try:
        run(Helper(), ["ioc-1", "ioc-2", "ioc-3"])
    except TypeError as err:
        print(f"{type(err).__name__}: {err}")
        #> TypeError: AppLogger.warning() got an unexpected keyword argument 'exc_info'
        print("raised while handling:", repr(err.__context__))
        #> raised while handling: TimeoutError('ioc-2: the read operation timed out')
    print("fetched:", FETCHED)  # ioc-3 never is: the run ended at ioc-2
    #> fetched: ['ioc-1', 'ioc-2']
