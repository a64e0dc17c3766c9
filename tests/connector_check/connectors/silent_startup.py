"""Lets a start-up failure escape: pycti's exit hook then kills it with SIGTERM, silently."""

import sys

from pycti import OpenCTIConnectorHelper

from .common import CONFIG, GoodConnector


class SilentStartup(GoodConnector):
    def main(self) -> int:
        self.helper = OpenCTIConnectorHelper(CONFIG)
        return super().main()

    def start(self) -> OpenCTIConnectorHelper:
        return self.helper


sys.exit(SilentStartup().main())
