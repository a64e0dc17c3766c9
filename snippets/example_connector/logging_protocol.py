"""The logger interface the connector's modules are given: pycti's ``connector_logger``."""

from __future__ import annotations

from typing import Any, Protocol


class ConnectorLogger(Protocol):  # (1)!
    """What ``helper.connector_logger`` offers: a message and structured ``meta``.

    There is no ``exc_info`` parameter (passing one raises TypeError); ``error`` adds the
    current traceback by itself, so call it inside an ``except`` block.
    """

    def debug(self, message: str, meta: dict[str, Any] | None = None) -> None: ...

    def info(self, message: str, meta: dict[str, Any] | None = None) -> None: ...

    def warning(self, message: str, meta: dict[str, Any] | None = None) -> None: ...

    def error(self, message: str, meta: dict[str, Any] | None = None) -> None: ...
