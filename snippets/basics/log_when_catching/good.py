"""Do: log every error you handle, with what failed, why, and the traceback."""

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
    sent, skipped = [], 0
    for ioc_id in ids:
        try:
            sent.append(process(ioc_id))
        except (DataRetrievalError, UseCaseError) as err:
            skipped += 1
            # Skipped and the run goes on: WARNING, with the reason and the traceback.
            logger.warning(
                "Skipping IOC %s: %s",
                ioc_id,
                err,
                exc_info=True,  # (1)!
                extra={"ioc_id": ioc_id, "error_type": type(err).__name__},
            )
    logger.info("Run finished: %d IOCs sent, %d skipped", len(sent), skipped)
    return sent


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    print("Sent:", run(["ioc-1", "ioc-2", "ioc-3", "ioc-4"]))
    #> Sent: ['ioc-1', 'ioc-4']
    for record in logs.buffer:
        has_traceback = record.exc_info is not None
        print(record.levelname, record.getMessage(), "| traceback:", has_traceback)
        #> WARNING Skipping IOC ioc-2: the source answered 404 | traceback: True
        #> WARNING Skipping IOC ioc-3: unsupported type 'mutex' | traceback: True
        #> INFO Run finished: 2 IOCs sent, 2 skipped | traceback: False
