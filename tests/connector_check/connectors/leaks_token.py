"""Logs its settings, token included."""

import os
import sys

from .common import GoodConnector


class LeaksToken(GoodConnector):
    def send(self, work_id: str) -> None:
        self.helper.connector_logger.info(
            "Settings",
            {"url": os.environ["OPENCTI_URL"], "token": os.environ["OPENCTI_TOKEN"]},
        )
        super().send(work_id)


sys.exit(LeaksToken().main())
