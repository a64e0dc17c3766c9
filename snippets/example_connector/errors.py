"""The connector's exceptions: who is at fault decides the class, and the class decides the
handling (see the "exception hierarchy" page).

- ``ConfigError``: the user's settings are wrong. Raised at start-up; the process exits 1 with a
  message naming the setting.
- ``DataRetrievalError``: the data source failed. The connector is not at fault; the entity (or
  the run) is skipped and may succeed later. ``ApiKeyRefusedError``, the source refusing the
  key, stops the run: only an operator can fix it.
- ``UseCaseError``: the connector can't process one entity. It is skipped with a WARNING and
  the run goes on.
- ``PlatformUnavailableError``: OpenCTI can't be reached or refuses the connector at start-up.
"""

from __future__ import annotations


class ConnectorError(Exception):  # (1)!
    """Base class: ``except ConnectorError`` catches every error the connector raises on purpose."""


class ConfigError(ConnectorError):  # (2)!
    """A setting is missing or invalid; the message names it and how to fix it."""


class PlatformUnavailableError(ConnectorError):  # (3)!
    """The OpenCTI platform can't be reached, or rejected the connector, at start-up."""


class DataRetrievalError(ConnectorError):
    """The data source failed to provide what was asked for.

    ``retryable`` tells whether the same request may succeed later (timeouts, 429, 5xx): the
    run then keeps its window open so the next run asks again.
    """

    def __init__(self, message: str, *, retryable: bool) -> None:  # (4)!
        super().__init__(message)
        self.retryable = retryable


class ApiKeyRefusedError(DataRetrievalError):
    """The source refused the API key (401, 403): every request fails so until an operator
    fixes the key, so the run stops instead of skipping one IOC after another. Retryable:
    once the key is fixed, a later run gets the same ids."""


class TooManyIdsError(DataRetrievalError):
    """The source has more ids for a window than one answer may hold: ask for shorter
    windows. The limit keeps the memory of a run bounded by a setting, not by the source."""


class UseCaseError(ConnectorError):  # (5)!
    """The connector can't process one entity; the run skips it and goes on."""


class UnsupportedTypeError(UseCaseError):
    """The source sent an IOC type the connector has no conversion for."""


class ConversionError(UseCaseError):
    """The IOC has a supported type but a value that can't be turned into STIX."""


class TerminationRequested(KeyboardInterrupt):  # (6)!
    """SIGTERM (``docker stop``), raised in the main thread like Ctrl+C raises
    KeyboardInterrupt, so the same handlers close the work before the process exits.

    Not a SystemExit: pycti's scheduler catches SystemExit, logs "SystemExit caught,
    stopping the scheduler" and stops (exiting 0 in run-and-terminate mode), which would
    report the stop as a success.
    """
