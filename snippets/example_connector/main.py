"""Start-up: every failure before the first run ends with one clear line and exit code 1.

Exit codes:

- 0: the run (or the runs) ended; how each went is on its work in OpenCTI.
- 1: start-up failed: invalid configuration, or OpenCTI unreachable or refusing the token.
- 130: stopped by Ctrl+C (SIGINT); 143: stopped by SIGTERM (``docker stop``). In both cases
  the current work was closed in error and the state recorded before exiting.
"""

from __future__ import annotations

import signal
import sys
import traceback
from pathlib import Path
from types import FrameType, TracebackType

import requests
from pycti import OpenCTIConnectorHelper

from snippets.example_connector.client_api import ClientAPI
from snippets.example_connector.config import ConnectorConfig, load_config
from snippets.example_connector.connector import Connector
from snippets.example_connector.converter import ConverterToStix
from snippets.example_connector.errors import (
    ConfigError,
    PlatformUnavailableError,
    TerminationRequested,
)

EXIT_STARTUP_FAILED = 1
EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM
SOURCE_AUTHOR = "Example IOC source"


def main(config_file: Path | None = None) -> int:
    try:
        config = load_config(config_file)
    except ConfigError as err:  # (1)!
        return _startup_failed(f"configuration error: {err}")
    try:
        helper = _start_helper(config)
    except PlatformUnavailableError as err:
        return _startup_failed(str(err))
    _install_signal_handlers()
    client = ClientAPI(
        str(config.ioc_source.url),
        config.ioc_source.api_key,
        helper.connector_logger,
        timeout_seconds=config.ioc_source.timeout_seconds,
        max_attempts=config.ioc_source.max_attempts,
        max_ids=config.ioc_source.max_ids_per_request,
    )
    connector = Connector(config, helper, client, ConverterToStix(SOURCE_AUTHOR))
    try:
        connector.run()
    except TerminationRequested:  # (2)!
        helper.connector_logger.info("Connector stopped by SIGTERM")
        return EXIT_SIGTERM
    except KeyboardInterrupt:
        helper.connector_logger.info("Connector stopped by Ctrl+C")
        return EXIT_SIGINT
    finally:
        client.close()
    return 0


def _start_helper(config: ConnectorConfig) -> OpenCTIConnectorHelper:
    try:
        helper = OpenCTIConnectorHelper(config.to_pycti())
    except (ValueError, requests.RequestException) as err:  # (3)!
        # pycti's ValueError texts carry no secret; the URL tells the user what to check.
        raise PlatformUnavailableError(
            f"OpenCTI at {config.opencti.url} is unreachable or refused the connector "
            f"(check OPENCTI_URL and OPENCTI_TOKEN): {type(err).__name__}: {err}"
        ) from err
    finally:
        # The constructor has set pycti's hook even if it failed with something else.
        _make_crashes_visible()  # (4)!
    return helper


def _make_crashes_visible() -> None:
    """pycti's exit hook kills the process with SIGTERM and prints nothing: print first."""
    pycti_hook = sys.excepthook

    def print_then_exit(
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # pycti also calls the hook outside any except block, with nothing to print.
        if error is not None:
            traceback.print_exception(error, file=sys.stderr)
        pycti_hook(kind, error, tb)  # type: ignore[arg-type]  # pycti passes Nones too

    sys.excepthook = print_then_exit


def _install_signal_handlers() -> None:
    def terminate(signum: int, frame: FrameType | None) -> None:
        raise TerminationRequested  # (5)!

    signal.signal(signal.SIGTERM, terminate)
    # With HTTPS_CA_CERTIFICATES set, pycti's client answers SIGINT with SystemExit(0),
    # which its scheduler swallows: Ctrl+C would exit 0. Python's own handler raises
    # KeyboardInterrupt, which the run closes its work for, then main returns 130.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _startup_failed(message: str) -> int:
    print(f"example-connector: {message}", file=sys.stderr)  # (6)!
    return EXIT_STARTUP_FAILED
