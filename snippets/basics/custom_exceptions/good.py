"""Do: raise your own exception from the original, and drop on purpose the
one that holds the API key."""

import re
import socket
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import responses
from pycti import OpenCTIConnectorHelper
from pydantic import SecretStr

from snippets.recording_helper import RecordingHelper


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


# --8<-- [start:example]
class SourceClient:
    def __init__(self, base_url: str, api_key: SecretStr) -> None:
        self.base_url = base_url
        self.api_key = api_key
        self.session = requests.Session()

    def get_iocs(self) -> list[dict[str, str]]:
        # This source takes its key in the query string, not in a header.
        params = {"api_key": self.api_key.get_secret_value()}
        try:
            response = self.session.get(
                f"{self.base_url}/iocs", params=params, timeout=10
            )
            response.raise_for_status()
        except requests.RequestException as err:
            # Its message repeats the URL, key included: our own words instead.
            reason = type(err).__name__
            raise DataRetrievalError(
                f"Cannot get the IOCs ({reason})"
            ) from None  # (1)!
        try:
            iocs: list[dict[str, str]] = response.json()
        except requests.JSONDecodeError as err:
            # Chained: the traceback shows what was wrong with the body.
            raise DataRetrievalError(
                "The source sent an invalid payload"
            ) from err  # (2)!
        return iocs


# --8<-- [end:example]
def run(helper: OpenCTIConnectorHelper, client: SourceClient) -> None:
    """The top of a run (ERR-014): pycti's error() logs the traceback."""
    try:
        client.get_iocs()
    except Exception:  # noqa: BLE001 - the run's top (ERR-014)
        helper.connector_logger.error("Run stopped")


@contextmanager
def refusing_url() -> Iterator[str]:
    """A real URL on this machine whose port refuses every connection."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound but not listening
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def logged_errors(helper: RecordingHelper) -> list[BaseException]:
    """The exceptions whose traceback pycti's error() wrote to the log."""
    return [
        record.exc_info[1]
        for record in helper.logs.records
        if record.exc_info and record.exc_info[1] is not None
    ]


def traceback_text(helper: RecordingHelper) -> str:
    """Those tracebacks in full, as pycti's handler writes them."""
    return "".join(
        "".join(traceback.format_exception(error))
        for error in logged_errors(helper)
    )


def traceback_ends(helper: RecordingHelper) -> list[str]:
    """Each record, then the last two exceptions its traceback prints."""
    lines = []
    for record in helper.logs.records:
        lines.append(f"{record.levelname} {record.getMessage()}")
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            lines.append(f"  cause: {shown(printed_above(error))}")
            lines.append(f"  error: {shown(error)}")
    return lines


def printed_above(error: BaseException) -> BaseException | None:
    """The exception a traceback prints above error, as Python decides."""
    if error.__cause__ is not None or error.__suppress_context__:
        return error.__cause__
    return error.__context__


URL_IN_MESSAGE = re.compile(r"url: (\S+)")


def shown(error: BaseException | None) -> str:
    if error is None:
        return "none"
    message = str(error)
    # urllib3's long message, cut to the URL it repeats.
    if match := URL_IN_MESSAGE.search(message):
        message = f"... url: {match[1]} ..."
    return f"{type(error).__name__}: {message}"


if __name__ == "__main__":
    api_key = SecretStr("sk-live-4f9a")  # from the configuration
    helper = RecordingHelper()
    with refusing_url() as url:  # the source is down
        run(helper, SourceClient(url, api_key))
    for line in traceback_ends(helper):
        print(line)
        #> ERROR Run stopped
        #>   cause: none
        #>   error: DataRetrievalError: Cannot get the IOCs (ConnectionError)
    key = api_key.get_secret_value()
    print("API key in the log:", key in traceback_text(helper))
    #> API key in the log: False

    helper = RecordingHelper()
    with responses.RequestsMock() as rsps:  # a maintenance page, with a 200
        rsps.get("https://source.example/iocs", body="<html>Back soon</html>")
        run(helper, SourceClient("https://source.example", api_key))
    for line in traceback_ends(helper):
        print(line)
        #> ERROR Run stopped
        #>   cause: JSONDecodeError: Expecting value: line 1 column 1 (char 0)
        #>   error: DataRetrievalError: The source sent an invalid payload
