"""Don't: a bare except in the run loop, which swallows Ctrl+C and
docker stop along with bad IOCs."""

import signal
import subprocess
import sys
from types import FrameType

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

IDS = ["ioc-1", "ioc-2", "ioc-3"]


def fetch_ioc(ioc_id: str) -> str:
    """Stands for the source's client: the stop arrives during ioc-2."""
    if ioc_id == "ioc-2":
        signal.raise_signal(signal.Signals[sys.argv[2]])  # (see __main__)
    return f"{ioc_id}.example"


# --8<-- [start:example]
def install_signal_handlers() -> None:
    """So that docker stop runs the finally blocks, as Ctrl+C does."""

    def terminate(signum: int, frame: FrameType | None) -> None:
        sys.exit(128 + signum)  # a SystemExit: pycti's scheduler exits 0

    signal.signal(signal.SIGTERM, terminate)


class Connector:
    def __init__(self, helper: OpenCTIConnectorHelper) -> None:
        self.helper = helper

    def process(self, ids: list[str]) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        sent: list[str] = []
        in_error = True
        try:
            self._send_all(ids, sent)
            in_error = False
        finally:
            self.helper.api.work.to_processed(
                work_id, f"Sent {len(sent)} of {len(ids)}", in_error=in_error
            )

    def _send_all(self, ids: list[str], sent: list[str]) -> None:
        for ioc_id in ids:
            try:
                sent.append(fetch_ioc(ioc_id))
            except:  # [E722, OCE004] meant for bad IOCs: a stop lands here too
                self.helper.connector_logger.warning(
                    "IOC skipped", {"ioc_id": ioc_id}
                )


def main(helper: OpenCTIConnectorHelper) -> int:
    install_signal_handlers()
    Connector(helper).process(IDS)
    return 0


# --8<-- [end:example]
def child() -> int:
    """The connector's process: one run, then what it logged and sent."""
    helper = RecordingHelper()
    code = main(helper)
    for line in helper.logs.lines() + helper.operations():
        print(line)
    return code


def stopped_by(stop: str) -> list[str]:
    """Run the connector in a child process, stop it: what it printed."""
    process = subprocess.run(
        [sys.executable, __file__, "child", stop],
        capture_output=True,
        text=True,
        check=False,
    )
    return [*process.stdout.splitlines(), f"exit code: {process.returncode}"]


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        sys.exit(child())
    # Each stop became "IOC skipped": the run went on and closed as a success.
    for line in stopped_by("SIGINT"):  # Ctrl+C
        print(line)
        #> WARNING IOC skipped {"ioc_id": "ioc-2"}
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Sent 2 of 3' inError=False
        #> exit code: 0
    for line in stopped_by("SIGTERM"):  # docker stop
        print(line)
        #> WARNING IOC skipped {"ioc_id": "ioc-2"}
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Sent 2 of 3' inError=False
        #> exit code: 0
