"""Do: give each record the level agreed with the OpenCTI teams; ERROR stays rare."""

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
    logger.debug("Raw %s: %s", ioc_id, ioc)
    if ioc["type"] not in SUPPORTED:
        raise UseCaseError(f"unsupported type {ioc['type']!r}")
    if "pdf" not in ioc:
        logger.info("No PDF for %s (known source gap, see README)", ioc_id)
    logger.debug("Sending %s", ioc["value"])


def run() -> None:
    logger.info("Run started: %d IOCs", len(SOURCE))
    try:
        for ioc_id, ioc in SOURCE.items():
            try:
                process(ioc_id, ioc)
            except UseCaseError as err:
                logger.warning("%s skipped: %s", ioc_id, err)
    except Exception:
        logger.exception("Unexpected error, run aborted")  # (1)!


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    run()
    for record in logs.buffer:
        print(record.levelname, record.getMessage())
        #> INFO Run started: 4 IOCs
        #> DEBUG Raw ioc-1: {'type': 'domain', 'value': 'evil.test', 'pdf': 'r1.pdf'}
        #> DEBUG Sending evil.test
        #> DEBUG Raw ioc-2: {'type': 'domain', 'value': 'bad.test'}
        #> INFO No PDF for ioc-2 (known source gap, see README)
        #> DEBUG Sending bad.test
        #> DEBUG Raw ioc-3: {'type': 'url', 'value': 'http://bad.test/x'}
        #> WARNING ioc-3 skipped: unsupported type 'url'
        #> DEBUG Raw ioc-4: {'type': 'ip', 'pdf': 'r4.pdf'}
        #> ERROR Unexpected error, run aborted
    # pycti's default CONNECTOR_LOG_LEVEL is "error": all that an operator sees is
    errors = [r for r in logs.buffer if r.levelno >= logging.ERROR]
    print([(r.getMessage(), r.exc_info is not None) for r in errors])
    #> [('Unexpected error, run aborted', True)]
