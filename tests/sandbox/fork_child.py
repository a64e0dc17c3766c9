"""A program the fork server's tests run both ways, ``python -m`` and forked: what it
prints and how it ends must be the same (``FORK_CHILD_MODE`` says what it does)."""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import time
from pathlib import Path

# Which way the program ends; none: it ends normally.
MODE = os.environ.get("FORK_CHILD_MODE", "")
atexit.register(print, "atexit handler ran")
print("argv[0] is this file:", Path(sys.argv[0]).resolve() == Path(__file__).resolve())
print("path[0] is the working directory:", sys.path[0] == os.getcwd())
print("working directory:", Path.cwd().name)
print("variables:", sorted(name for name in os.environ if name.startswith("FORK_")))
print("module name:", __name__)
sys.stdout.flush()

if MODE == "exit-3":
    sys.exit(3)
elif MODE == "exit-text":
    sys.exit("stopped: the text goes to stderr, the code is 1")
elif MODE == "raise":
    raise RuntimeError("not handled")
elif MODE == "keyboard-interrupt":
    raise KeyboardInterrupt
elif MODE == "sigterm-itself":
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)
elif MODE == "thread":

    def end_later() -> None:
        time.sleep(0.2)
        print("thread ended")

    threading.Thread(target=end_later).start()
elif MODE == "wait-for-a-signal":
    print("waiting", flush=True)
    time.sleep(30)
