"""Closes its work at the end of the try, not in finally, logs unexpected errors and goes on,
and answers SIGTERM with sys.exit(0), as OpenCTI's connector template does."""

import signal
import sys
from typing import Any

from .common import GoodConnector


class TemplateLike(GoodConnector):
    def on_sigterm(self) -> None:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))

    def process(self) -> None:
        state: dict[str, Any] = self.helper.get_state() or {}
        try:
            work_id = self.helper.api.work.initiate_work(self.helper.connect_id, "run")
            self.send(work_id)
            self.helper.set_state({**state, "last_run": "now"})
            self.helper.api.work.to_processed(work_id, "done")
        except (KeyboardInterrupt, SystemExit):
            sys.exit(0)
        except Exception as err:  # noqa: BLE001 - the flaw under test
            self.helper.connector_logger.error(str(err))


sys.exit(TemplateLike().main())
