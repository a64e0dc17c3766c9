"""Don't: answer a stop with sys.exit(0): the supervisor records a successful
run."""

import sys
from collections.abc import Callable

from pycti import OpenCTIConnectorHelper


def main(
    helper: OpenCTIConnectorHelper, process: Callable[[str], str]
) -> None:
    try:
        helper.listen(message_callback=process)
    except (KeyboardInterrupt, SystemExit):
        helper.connector_logger.info("Connector stopped")
        sys.exit(0)  # [OCE010]
