"""What the source sends, made safe to echo: in a log field, an error or a work message.

The source is not trusted: an IOC type of half a million characters, a header with a line
break or an escape sequence would otherwise reach the logs as they are. Every value of the
source's that the connector echoes goes through ``bounded`` first, so no record grows past a
few kilobytes and none can forge a line or colour a terminal.
"""

from __future__ import annotations

import re
from typing import Any

from snippets.example_connector.logging_protocol import ConnectorLogger

# Long enough for any real id, type, URL or error; short enough that a record stays
# within a few kilobytes.
MAX_ECHO = 1000
# A value quoted inside a message of ours: short, so the message around it survives the
# bound the message itself gets when it is logged.
MAX_QUOTED = 100
# C0 and C1 control characters, DEL included: shown escaped, never interpreted.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def bounded(value: object, limit: int = MAX_ECHO) -> str:
    """``value`` as text of at most ``limit`` characters, control characters escaped.

    A longer value keeps its start and says how long it was, so a reader knows it was cut.
    """
    text = CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value))
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def quoted(value: object) -> str:
    """``value`` bounded for a place inside a message: an error's, a warning's."""
    return bounded(value, MAX_QUOTED)


# A file name OpenCTI stores: letters, digits, dot, dash and underscore, no leading dot
# (so never ".." nor a hidden file), bounded; what is left of an id made of nothing else
# is replaced by a name of ours.
UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9._-]+")
MAX_FILE_NAME = 100


def file_name(stem: str, suffix: str) -> str:
    """A file name made from a value of the source's, never a path."""
    safe = UNSAFE_IN_FILE_NAMES.sub("_", stem).lstrip(".")[:MAX_FILE_NAME]
    return f"{safe or 'report'}{suffix}"


# A list in a log field (data warnings, skipped ids) keeps this many items.
MAX_ITEMS = 10


def bounded_meta(value: Any) -> Any:
    """A log record's ``meta`` with every string bounded and every list cut short."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {bounded(key): bounded_meta(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [bounded_meta(item) for item in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            items.append(f"... ({len(value) - MAX_ITEMS} more)")
        return items
    return bounded(value)


class BoundedLogger:
    """The connector's logger, with every ``meta`` bounded: the one place that does it.

    The messages are the connector's own words; what varies comes from the source and is
    passed in ``meta``, which is where a huge or hostile value would land.
    """

    def __init__(self, logger: ConnectorLogger) -> None:
        self._logger = logger

    def debug(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self._logger.debug(message, bounded_meta(meta))

    def info(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self._logger.info(message, bounded_meta(meta))

    def warning(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self._logger.warning(message, bounded_meta(meta))

    def error(self, message: str, meta: dict[str, Any] | None = None) -> None:
        # The callers log at ERROR in the run's except Exception; this only passes it on.
        shown = bounded_meta(meta)
        self._logger.error(message, shown)  # connector-lint: ignore[OCE005] a wrapper
