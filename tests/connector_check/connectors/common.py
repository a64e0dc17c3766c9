"""The small pycti connectors connector-check's tests run: one that does everything right, and
one per failing behaviour, each a subclass that changes one method.

Each is run as ``python -m tests.connector_check.connectors.<name>`` with the settings connector-check gives; it
opens a work, pushes one Indicator, stores its state and closes the work, once.
"""

from __future__ import annotations

import datetime
import signal
import sys
from types import FrameType
from typing import Any

import stix2
from pycti import OpenCTIConnectorHelper

EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM
CONFIG = {
    "connector": {
        "type": "EXTERNAL_IMPORT",
        "name": "connector-check test connector",
        "scope": "indicator",
    }
}


class TerminationRequestedError(Exception):
    """SIGTERM, raised in the main thread as Ctrl+C raises KeyboardInterrupt."""


def _raise_termination(signum: int, frame: FrameType | None) -> None:
    raise TerminationRequestedError


class GoodConnector:
    """Closes the work in finally, in error when the run failed or was stopped; exits 143 or
    130 after a stop; says why it could not start."""

    def main(self) -> int:
        try:
            self.helper = self.start()
        except Exception as err:  # noqa: BLE001 - start-up: say why and exit
            print(f"test-connector: cannot start: {err}", file=sys.stderr)
            return 1
        self.on_sigterm()
        try:
            self.process()
        except TerminationRequestedError:
            return EXIT_SIGTERM
        except KeyboardInterrupt:
            return EXIT_SIGINT
        return 0

    def start(self) -> OpenCTIConnectorHelper:
        return OpenCTIConnectorHelper(CONFIG)

    def on_sigterm(self) -> None:
        signal.signal(signal.SIGTERM, _raise_termination)

    def process(self) -> None:
        state: dict[str, Any] = self.helper.get_state() or {}
        work_id = self.helper.api.work.initiate_work(self.helper.connect_id, "run")
        message, in_error = "1 indicator sent", False
        try:
            self.send(work_id)
            state["last_run"] = datetime.datetime.now(datetime.UTC).isoformat()
        except (TerminationRequestedError, KeyboardInterrupt):
            message, in_error = "stopped before the run finished", True
            raise
        except Exception as err:  # noqa: BLE001 - the top of a run
            self.helper.connector_logger.error("Unexpected error", {"error": repr(err)})
            message, in_error = f"Unexpected error: {err!r}", True
        finally:
            self.finish(work_id, state, message, in_error)

    def send(self, work_id: str) -> None:
        indicator = stix2.Indicator(
            name="example.com",
            pattern="[domain-name:value = 'example.com']",
            pattern_type="stix",
        )
        bundle = self.helper.stix2_create_bundle([indicator])
        self.helper.send_stix2_bundle(bundle, work_id=work_id)

    def finish(
        self, work_id: str, state: dict[str, Any], message: str, in_error: bool
    ) -> None:
        self.helper.set_state(state)
        # pycti sends the state with its next ping; this connector runs once, so ping now.
        self.helper.force_ping()
        self.helper.api.work.to_processed(work_id, message, in_error)
