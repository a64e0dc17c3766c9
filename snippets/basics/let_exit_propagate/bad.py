"""Don't: a bare except in the run loop that swallows Ctrl+C along with bad IOCs."""

import signal
import subprocess
import sys


class Work:
    """Stand-in for pycti's helper.api.work: a real connector calls helper.api.work."""

    def to_processed(self, work_id: str, message: str, in_error: bool = False) -> None:
        print(f"to_processed({work_id!r}, {message!r}, in_error={in_error})")


def fetch_ioc(ioc_id: str) -> str:
    if ioc_id == "ioc-2":
        signal.raise_signal(signal.SIGINT)  # the operator presses Ctrl+C here
    return f"{ioc_id}.example"


def run(work: Work, ids: list[str]) -> None:
    for ioc_id in ids:
        try:
            print("sent", fetch_ioc(ioc_id))
        except:  # [E722, OCE004] meant for bad IOCs: KeyboardInterrupt lands here too
            print("skipped", ioc_id)
    work.to_processed("work-1", "Run finished", in_error=False)


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
        # Ctrl+C became "skipped ioc-2": the run went on and closed as a success.
        for line in child.stdout.splitlines():
            print(line)
            #> sent ioc-1.example
            #> skipped ioc-2
            #> sent ioc-3.example
            #> to_processed('work-1', 'Run finished', in_error=False)
        print("exit code:", child.returncode)
        #> exit code: 0
