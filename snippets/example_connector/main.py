"""Start-up: every failure before the first run ends with one clear line and exit code 1.

Exit codes:

- 0: the run (or the runs) ended; how each went is on its work in OpenCTI.
- 1: start-up failed: invalid configuration, OpenCTI unreachable or refusing the token, or
  an OpenCTI release that pycti's version does not match.
- 130: stopped by Ctrl+C (SIGINT); 143: stopped by SIGTERM (``docker stop``). In both cases
  the current work was closed in error and the state recorded before exiting.
"""

from __future__ import annotations

import signal
import sys
import traceback
from pathlib import Path
from types import FrameType, TracebackType

import pycti
import requests
from pycti import OpenCTIApiClient, OpenCTIConnectorHelper

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
# What OpenCTI answers a document its schema can't take: a field, an argument or an input
# field this pycti knows and the platform's release doesn't.
SCHEMA_ERRORS = frozenset({"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"})


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
    except ValueError as err:  # (3)!
        if _pycti_error_name(err) in SCHEMA_ERRORS:
            raise PlatformUnavailableError(_version_mismatch(config, err)) from err
        if _pycti_error_name(err) == "FORBIDDEN_ACCESS":
            raise PlatformUnavailableError(
                f"OpenCTI at {config.opencti.url} accepted OPENCTI_TOKEN but its user may "
                "not register a connector: give that user a role with the CONNECTORAPI "
                "capability (OpenCTI's Connector role has it)"
            ) from err
        raise _unavailable(config, err) from err
    except requests.RequestException as err:
        raise _unavailable(config, err) from err
    finally:
        # The constructor has set pycti's hook even if it failed with something else.
        _make_crashes_visible()  # (4)!
    return helper


def _unavailable(config: ConnectorConfig, err: Exception) -> PlatformUnavailableError:
    # pycti's ValueError texts carry no secret; the URL tells the user what to check.
    return PlatformUnavailableError(
        f"OpenCTI at {config.opencti.url} is unreachable or refused the connector "
        f"(check OPENCTI_URL and OPENCTI_TOKEN): {type(err).__name__}: {err}"
    )


def _pycti_error_name(err: ValueError) -> object:
    """The platform's error code pycti put in its ValueError; None for its own errors."""
    details = err.args[0] if err.args else None
    return details.get("name") if isinstance(details, dict) else None


def _version_mismatch(config: ConnectorConfig, err: ValueError) -> str:
    """Name both versions: pycti talks to the OpenCTI release of its own version only."""
    detail = str(err.args[0].get("error_message", ""))[:200]
    platform = _platform_version(config) or "another version"
    return (
        f"OpenCTI at {config.opencti.url} runs {platform}, and this connector's pycti is "
        f"{pycti.__version__}: the platform's API has no place for what this pycti sends "
        f"({detail}). Use the pycti of the platform's version "
        f"(pip install 'pycti=={platform}') or upgrade OpenCTI to {pycti.__version__}."
    )


def _platform_version(config: ConnectorConfig) -> str | None:
    """The version the platform reports, or None if it can't be asked."""
    client = OpenCTIApiClient(
        str(config.opencti.url).rstrip("/"),
        config.opencti.token.get_secret_value(),
        log_level="error",
        perform_health_check=False,
    )
    try:
        answer = client.query("query healthCheck { about { version } }")
    except (ValueError, requests.RequestException):
        return None  # the message then says "another version": the mismatch stays clear
    version = answer["data"]["about"]["version"]
    return str(version)[:40] if version else None


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
