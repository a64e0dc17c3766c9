"""Do: let a stop through: report it on the work, close the work in error,
re-raise it, and exit with a code that says so."""

import signal
import subprocess
import sys
from types import FrameType

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

IDS = ["ioc-1", "ioc-2", "ioc-3"]


class UseCaseError(Exception):
    """The connector can't process one IOC."""


def fetch_ioc(ioc_id: str) -> str:
    """Stands for the source's client: the stop arrives during ioc-2."""
    if ioc_id == "ioc-2":
        signal.raise_signal(signal.Signals[sys.argv[2]])  # (see __main__)
    return f"{ioc_id}.example"


# --8<-- [start:example]
class TerminationRequested(KeyboardInterrupt):  # (1)!
    """SIGTERM (docker stop), raised like Ctrl+C raises KeyboardInterrupt."""


def install_signal_handlers() -> None:
    """Call it once OpenCTIConnectorHelper is built: pycti may have set its
    own handlers by then."""

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise TerminationRequested

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # (2)!


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
        except (KeyboardInterrupt, SystemExit):
            reason = "Stopped by user or system"
            self.helper.api.work.report_expectation(
                work_id, {"error": reason, "source": "CONNECTOR"}
            )
            raise  # (3)!
        finally:
            self.helper.api.work.to_processed(
                work_id, f"Sent {len(sent)} of {len(ids)}", in_error=in_error
            )

    def _send_all(self, ids: list[str], sent: list[str]) -> None:
        for ioc_id in ids:
            try:
                sent.append(fetch_ioc(ioc_id))
            except UseCaseError as err:  # only what a bad IOC raises
                self.helper.connector_logger.warning(
                    "IOC skipped", {"ioc_id": ioc_id, "reason": str(err)}
                )


def main(helper: OpenCTIConnectorHelper) -> int:
    install_signal_handlers()
    try:
        Connector(helper).process(IDS)
    except TerminationRequested:  # (4)!
        helper.connector_logger.info("Connector stopped by SIGTERM")
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        helper.connector_logger.info("Connector stopped by Ctrl+C")
        return 128 + signal.SIGINT
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
    for line in stopped_by("SIGINT"):  # Ctrl+C
        print(line)
        #> INFO Connector stopped by Ctrl+C
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='Stopped by user or system'
        #> workToProcessed id='work-1' message='Sent 1 of 3' inError=True
        #> exit code: 130
    for line in stopped_by("SIGTERM"):  # docker stop
        print(line)
        #> INFO Connector stopped by SIGTERM
        #> workAdd name='Source run'
        #> reportExpectation id='work-1' error='Stopped by user or system'
        #> workToProcessed id='work-1' message='Sent 1 of 3' inError=True
        #> exit code: 143
