"""Logs a stop it handles as an ERROR."""

import sys

from .common import GoodConnector, TerminationRequestedError


class LogsErrorOnStop(GoodConnector):
    def process(self) -> None:
        try:
            super().process()
        except (TerminationRequestedError, KeyboardInterrupt) as stop:
            self.helper.connector_logger.error("Stopped", {"by": repr(stop)})
            raise


sys.exit(LogsErrorOnStop().main())
