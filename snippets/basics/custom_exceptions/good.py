"""Do: raise your own exception from the original, and drop on purpose one that leaks."""

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
        # Its message holds the key: say what failed in words of our own, drop the rest.
        raise DataRetrievalError(
            f"Cannot reach the source ({type(err).__name__})"
        ) from None  # (1)!


def parse_iocs(body: str) -> list[dict[str, str]]:
    try:
        iocs: list[dict[str, str]] = json.loads(body)
    except json.JSONDecodeError as err:
        raise DataRetrievalError("The source sent an invalid payload") from err  # (2)!
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
        #> DataRetrievalError: Cannot reach the source (ConnectionError)
    print("API key in the logs:", any(API_KEY in line for line in logged))
    #> API key in the logs: False

    # The source answered an HTML error page: the cause says so.
    for line in logged_traceback(lambda: parse_iocs("<html>502 Bad Gateway</html>")):
        print(line)
        #> json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
        #> The above exception was the direct cause of the following exception:
        #> DataRetrievalError: The source sent an invalid payload
