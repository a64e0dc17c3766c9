"""Don't: answer a stop with sys.exit(0): it reads as a successful run."""

import signal
import subprocess
import sys


def run() -> None:
    """Stands for the connector's run: Ctrl+C arrives during it."""
    signal.raise_signal(signal.SIGINT)


def main() -> None:
    try:
        run()
    except (KeyboardInterrupt, SystemExit):
        print("Connector stopped")
        sys.exit(0)  # [OCE010] the supervisor records a success


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        main()
    else:
        # The connector as its own process, as a container runs it.
        child = subprocess.run(
            [sys.executable, __file__, "child"],
            capture_output=True,
            text=True,
            check=False,
        )
        print(child.stdout.strip())
        #> Connector stopped
        print("exit code:", child.returncode)
        #> exit code: 0
