"""Do: let Ctrl+C through; catch it before Exception only to report, then re-raise."""

import logging
import signal
import subprocess
import sys

logger = logging.getLogger("connector")


class UseCaseError(Exception):
    """The connector can't process one IOC."""


class Work:
    """Stand-in for pycti's helper.api.work: a real connector calls helper.api.work."""

    def report_expectation(self, work_id: str, error: dict[str, str]) -> None:
        print(f"report_expectation({work_id!r}, {error['error']!r})")

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        print(f"to_processed({work_id!r}, {message!r}, in_error={in_error})")


def fetch_ioc(ioc_id: str) -> str:
    if ioc_id == "ioc-2":
        signal.raise_signal(signal.SIGINT)  # the operator presses Ctrl+C here
    return f"{ioc_id}.example"


def run(work: Work, ids: list[str]) -> None:
    in_error = True
    try:
        for ioc_id in ids:
            try:
                print("sent", fetch_ioc(ioc_id))
            except UseCaseError:  # only what a bad IOC raises
                logger.warning("IOC %s skipped", ioc_id, exc_info=True)
        in_error = False
    except (KeyboardInterrupt, SystemExit):
        stop = {"error": "Connector stopped by user/system", "source": "CONNECTOR"}
        work.report_expectation("work-1", error=stop)
        raise  # (1)!
    except Exception as err:
        logger.exception("Unexpected error")
        work.report_expectation(
            "work-1", error={"error": repr(err), "source": "CONNECTOR"}
        )
    finally:
        work.to_processed("work-1", "Run ended", in_error=in_error)


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        run(Work(), ["ioc-1", "ioc-2", "ioc-3"])
    else:
        child = subprocess.run(
            [sys.executable, __file__, "child"],
            capture_output=True,
            text=True,
            check=False,
        )
        for line in child.stdout.splitlines():
            print(line)
            #> sent ioc-1.example
            #> report_expectation('work-1', 'Connector stopped by user/system')
            #> to_processed('work-1', 'Run ended', in_error=True)
        # -2: ended by SIGINT, as Ctrl+C should (a shell shows 130; Windows differs).
        print("exit code:", child.returncode)
        #> exit code: -2
