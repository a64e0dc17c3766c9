"""pycti's own parts, wired so a snippet runs without an OpenCTI platform.

A connector's code calls ``helper.connector_logger`` and ``helper.api.work``. So do the
snippets, and what they call is pycti's real code:

- ``connector_logger`` is an instance of the class pycti's ``logger()`` returns, built as
  ``OpenCTIConnectorHelper`` builds it: a call a connector could not make (``exc_info=``,
  ``%s`` arguments) fails here too.
- ``api.work`` is pycti's ``OpenCTIApiWork``. Its only way out is ``api.query()``, which this
  module answers and records instead of sending over HTTP: the snippet prints the GraphQL
  operations OpenCTI would receive.
- ``get_state`` and ``set_state`` are ``OpenCTIConnectorHelper``'s own methods.

Everything else a real helper does (registering, pinging, sending bundles) needs a platform
and is left out: a snippet that needs it says so.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from pycti import OpenCTIConnectorHelper
from pycti.api.opencti_api_work import OpenCTIApiWork
from pycti.utils.opencti_logger import logger as pycti_logger_class

# "mutation workToProcessed($id: ID!, ...)": the operation's name, as OpenCTI logs it.
OPERATION_NAME = re.compile(r"\b(?:query|mutation)\s+(\w+)")
# Between two fields of a record's JSON meta: where a long log line may fold.
BETWEEN_FIELDS = re.compile(r'(?<=,) (?=")')


@dataclass(frozen=True)
class Operation:
    """One GraphQL operation pycti sent: its name and its variables.

    ``str()`` gives the variables a reader needs to follow a work's life, in a line
    short enough for a page: the full set is in ``variables``.
    """

    name: str
    variables: dict[str, Any]

    def __str__(self) -> str:
        shown = BRIEF.get(self.name)
        if shown is None:
            return f"{self.name} {self.variables}"
        values = []
        for key in shown:
            value = self.variables.get(key)
            if key == "error" and isinstance(value, dict):
                value = value.get("error")
            values.append(f"{KEY_LABELS.get(key, key)}={value!r}")
        return " ".join([self.name, *values])


# The variables each work operation is shown with, in OpenCTI's words.
BRIEF: dict[str, tuple[str, ...]] = {
    "workAdd": ("friendlyName",),
    "workToReceived": ("id", "message"),
    "workToProcessed": ("id", "message", "inError"),
    "reportExpectation": ("id", "error"),
    "addExpectations": ("id", "expectations"),
    "pingWork": ("id",),
}
KEY_LABELS = {"friendlyName": "name"}


class PlatformRefusedError(ValueError):
    """What pycti raises when OpenCTI answers with GraphQL errors: a ``ValueError``."""


class RecordingApi:
    """Stands for ``OpenCTIApiClient`` where ``OpenCTIApiWork`` uses it.

    ``refuse`` names operations the platform answers with an error, to show what a
    connector does when OpenCTI refuses a call.
    """

    def __init__(self, logger_class: type[Any], refuse: frozenset[str]) -> None:
        self.app_logger = logger_class("api")
        # pycti's work methods do nothing at all when this is false.
        self.bundle_send_to_queue = True
        self.work = OpenCTIApiWork(self)
        self.sent: list[Operation] = []
        self._refuse = refuse
        self._works = 0

    def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        disable_impersonate: bool = False,
    ) -> dict[str, Any]:
        match = OPERATION_NAME.search(query)
        name = match.group(1) if match else "anonymous"
        self.sent.append(Operation(name, dict(variables or {})))
        if name in self._refuse:
            raise PlatformRefusedError(f"{name}: the platform answered with an error")
        if name == "workAdd":
            self._works += 1
            return {"data": {"workAdd": {"id": f"work-{self._works}"}}}
        return {"data": {}}


class RecordingHelper:
    """The parts of ``OpenCTIConnectorHelper`` a connector's error handling uses."""

    get_state = OpenCTIConnectorHelper.get_state
    set_state = OpenCTIConnectorHelper.set_state

    def __init__(
        self,
        name: str = "connector",
        log_level: str = "DEBUG",
        refuse: frozenset[str] = frozenset(),
        state: dict[str, Any] | None = None,
    ) -> None:
        # OpenCTIApiClient: self.logger_class = logger(log_level.upper(), json_logging)
        logger_class = pycti_logger_class(log_level.upper(), True)
        self.connect_id = "connector-1"
        self.connector_logger = logger_class(name)
        self.api = RecordingApi(logger_class, refuse)
        self.connector_state = None if state is None else json.dumps(state)
        self.logs = LogRecorder(name)

    def operations(self) -> list[str]:
        """What OpenCTI received, one operation a line."""
        return [str(operation) for operation in self.api.sent]


class LogRecorder(logging.Handler):
    """Keeps the records the connector's logger emits, to print them after the run.

    pycti's handler still writes each one to stderr as JSON; ``lines()`` gives the same
    record as ``LEVEL message {attributes}``, then, when it carries a traceback, the
    traceback's last line: ``[traceback: ValueError: Nothing to import]``.
    """

    def __init__(self, name: str) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        logger = logging.getLogger(name)
        # One recorder a logger: the records of the helper built last. An earlier one
        # keeps what it recorded, and a long process doesn't pile up handlers.
        for handler in [h for h in logger.handlers if isinstance(h, LogRecorder)]:
            logger.removeHandler(handler)
        logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self, width: int | None = None) -> list[str]:
        """One line a record; with ``width``, a longer one folds between its meta's
        fields, the rest indented by four spaces, so that it fits a page."""
        lines = [_line(record) for record in self.records]
        if width is None:
            return lines
        return [part for line in lines for part in _folded(line, width)]


def _line(record: logging.LogRecord) -> str:
    parts = [record.levelname, record.getMessage()]
    attributes = getattr(record, "attributes", None)
    if attributes is not None:
        parts.append(json.dumps(attributes, default=str))
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        parts.append(f"[traceback: {type(error).__name__}: {error}]")
    return " ".join(parts)


def _folded(line: str, width: int) -> list[str]:
    first, *fields = BETWEEN_FIELDS.split(line)
    parts = [first]
    for field in fields:
        if len(parts[-1]) + 1 + len(field) <= width:
            parts[-1] += " " + field
        else:
            parts.append("    " + field)
    return parts
