"""Stores its last run in finally whatever happened: a failed run moves the window on."""

import datetime
import sys
from typing import Any

from .common import GoodConnector


class MovesStateOnFailure(GoodConnector):
    def finish(
        self, work_id: str, state: dict[str, Any], message: str, in_error: bool
    ) -> None:
        state["last_run"] = datetime.datetime.now(datetime.UTC).isoformat()
        super().finish(work_id, state, message, in_error)


sys.exit(MovesStateOnFailure().main())
