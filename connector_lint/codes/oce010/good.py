"""Do: re-raise the stop: Python ends the process by the signal (130 after
Ctrl+C)."""

from collections.abc import Callable

from pycti import OpenCTIConnectorHelper


def main(
    helper: OpenCTIConnectorHelper, process: Callable[[str], str]
) -> None:
    try:
        helper.listen(message_callback=process)
    except (KeyboardInterrupt, SystemExit):
        helper.connector_logger.info("Connector stopped")
        raise
