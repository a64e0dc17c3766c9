"""Don't: skip an entity in a handler that logs nothing."""

import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


class UseCaseError(Exception):
    """The connector can't process this entity."""


def process(ioc_id: str) -> str:
    if ioc_id == "ioc-2":
        raise DataRetrievalError("the source answered 404")
    if ioc_id == "ioc-3":
        raise UseCaseError("unsupported type 'mutex'")
    return ioc_id


def run(ids: list[str]) -> list[str]:
    sent = []
    for ioc_id in ids:
        try:
            sent.append(process(ioc_id))
        except (DataRetrievalError, UseCaseError):  # [S112]
            continue  # skipped, and nobody will ever know why
    logger.info("Run finished: %d IOCs sent", len(sent))
    return sent


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    print("Sent:", run(["ioc-1", "ioc-2", "ioc-3", "ioc-4"]))
    #> Sent: ['ioc-1', 'ioc-4']
    for record in logs.buffer:
        print(record.levelname, record.getMessage())
        #> INFO Run finished: 2 IOCs sent
