"""A daemon thread that runs a loop until it is told to stop: the worker's and the consumer's."""

from __future__ import annotations

import threading
from collections.abc import Callable


class BackgroundLoop:
    """Runs ``target`` in a daemon thread; ``target`` returns once ``stopping`` is set.

    ``start()`` after ``stop()`` runs it again, in a new thread.
    """

    def __init__(self, target: Callable[[], None], name: str) -> None:
        self._target = target
        self._name = name
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self.stopping.clear()
        self._thread = threading.Thread(
            target=self._target, name=self._name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
