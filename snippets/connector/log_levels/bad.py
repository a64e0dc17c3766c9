"""Don't: pick levels by feel, so the default ERROR level shows noise and hides the bug."""

import logging
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")  # a real connector uses helper.connector_logger

SUPPORTED = {"domain", "ip"}
SOURCE = {
    "ioc-1": {"type": "domain", "value": "evil.test", "pdf": "r1.pdf"},
    "ioc-2": {"type": "domain", "value": "bad.test"},  # no PDF: documented in README
    "ioc-3": {"type": "url", "value": "http://bad.test/x"},
    "ioc-4": {"type": "ip", "pdf": "r4.pdf"},  # no value: nobody planned for this
}


class UseCaseError(Exception):
    """The connector can't convert this IOC."""


def process(ioc_id: str, ioc: dict[str, str]) -> None:
    logger.info("Raw %s: %s", ioc_id, ioc)  # a debugging dump, at INFO
    if ioc["type"] not in SUPPORTED:
        raise UseCaseError(f"unsupported type {ioc['type']!r}")
    if "pdf" not in ioc:
        logger.warning("No PDF for %s", ioc_id)  # the README says this happens
    logger.debug("Sending %s", ioc["value"])


def run() -> None:
    logger.info("Run started: %d IOCs", len(SOURCE))
    try:
        for ioc_id, ioc in SOURCE.items():
            try:
                process(ioc_id, ioc)
            except UseCaseError as err:
                logger.error("%s skipped: %s", ioc_id, err)  # [TRY400, OCE005] handled
    except Exception as err:  # [BLE001]
        logger.warning("Something went wrong: %s", err)  # the real bug: no traceback


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    run()
    for record in logs.buffer:
        print(record.levelname, record.getMessage())
        #> INFO Run started: 4 IOCs
        #> INFO Raw ioc-1: {'type': 'domain', 'value': 'evil.test', 'pdf': 'r1.pdf'}
        #> DEBUG Sending evil.test
        #> INFO Raw ioc-2: {'type': 'domain', 'value': 'bad.test'}
        #> WARNING No PDF for ioc-2
        #> DEBUG Sending bad.test
        #> INFO Raw ioc-3: {'type': 'url', 'value': 'http://bad.test/x'}
        #> ERROR ioc-3 skipped: unsupported type 'url'
        #> INFO Raw ioc-4: {'type': 'ip', 'pdf': 'r4.pdf'}
        #> WARNING Something went wrong: 'value'
    # pycti's default CONNECTOR_LOG_LEVEL is "error": all that an operator sees is
    print([r.getMessage() for r in logs.buffer if r.levelno >= logging.ERROR])
    #> ["ioc-3 skipped: unsupported type 'url'"]
