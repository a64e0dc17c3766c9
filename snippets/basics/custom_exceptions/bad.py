"""Don't: chain the error that holds the API key, and cut off the one that says why."""

import json
import traceback
from collections.abc import Callable

API_KEY = "sk-live-4f9a"  # read from the configuration in a real connector


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


def http_get(path: str) -> str:
    # Stand-in for requests: like urllib3's "Max retries exceeded with url: ...",
    # a connection error repeats the URL, query string and API key included.
    raise ConnectionError(f"Max retries exceeded with url: {path}")


def fetch_iocs(api_key: str) -> str:
    try:
        return http_get(f"/iocs?api_key={api_key}")
    except ConnectionError as err:
        raise DataRetrievalError("Cannot reach the source") from err  # keeps the key


def parse_iocs(body: str) -> list[dict[str, str]]:
    try:
        iocs: list[dict[str, str]] = json.loads(body)
    except json.JSONDecodeError:
        raise DataRetrievalError("The source sent an invalid payload") from None
    return iocs


def logged_traceback(call: Callable[[], object]) -> list[str]:
    """Run call and return what the traceback of its error puts in the logs."""
    try:
        call()
    except DataRetrievalError as err:
        lines = "".join(traceback.format_exception(err)).splitlines()
    else:
        return []
    # Keep the exception lines; drop blanks, "Traceback ..." headers and File/code frames.
    return [line for line in lines if line and not line.startswith(("Traceback", " "))]


if __name__ == "__main__":
    logged = logged_traceback(lambda: fetch_iocs(API_KEY))
    for line in logged:
        print(line)
        #> ConnectionError: Max retries exceeded with url: /iocs?api_key=sk-live-4f9a
        #> The above exception was the direct cause of the following exception:
        #> DataRetrievalError: Cannot reach the source
    print("API key in the logs:", any(API_KEY in line for line in logged))
    #> API key in the logs: True

    # The source answered an HTML error page: the log no longer says so.
    for line in logged_traceback(lambda: parse_iocs("<html>502 Bad Gateway</html>")):
        print(line)
        #> DataRetrievalError: The source sent an invalid payload
