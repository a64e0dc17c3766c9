"""Don't: test an error path with pytest.raises(Exception): it passes on broken code."""

import urllib.error
from collections.abc import Callable
from unittest.mock import Mock, patch

import pytest


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


class HTTPError(OSError):
    """Stand-in for requests.HTTPError, which carries the response."""

    def __init__(self, response: Mock) -> None:
        super().__init__(f"{response.status_code} Client Error")
        self.response = response


class ClientAPI:
    def _get(self, path: str) -> dict[str, str]:
        raise NotImplementedError  # a real client sends the request with requests

    def get_ioc(self, ioc_id: str) -> dict[str, str]:
        try:
            return self._get(f"/iocs/{ioc_id}")
        except urllib.error.HTTPError as err:  # the wrong HTTPError: not requests'
            raise DataRetrievalError(f"Source failed for IOC {ioc_id}") from err


def test_get_ioc_should_raise_data_retrieval_error(client: ClientAPI) -> None:
    # Given a client whose _get raises an HTTPError with a 401 status
    with patch.object(client, "_get", side_effect=HTTPError(Mock(status_code=401))):
        # When calling get_ioc, then... any exception at all will do
        with pytest.raises(Exception):  # [B017, PT011]
            client.get_ioc("dummy_id")


def check(test: Callable[[ClientAPI], None], client: ClientAPI) -> str:
    """Run a test the way pytest would, and say how it ended."""
    try:
        test(client)
    except (Exception, pytest.fail.Exception) as err:  # noqa: BLE001 - a test runner
        return f"FAILED: {type(err).__name__}: {err}"
    return "PASSED"


if __name__ == "__main__":
    print(check(test_get_ioc_should_raise_data_retrieval_error, ClientAPI()))
    #> PASSED
    # Yet get_ioc never raises DataRetrievalError: requests' HTTPError goes through.
    client = ClientAPI()
    with patch.object(client, "_get", side_effect=HTTPError(Mock(status_code=401))):
        with pytest.raises(Exception) as excinfo:  # [PT011]
            client.get_ioc("dummy_id")
    print("get_ioc raised", repr(excinfo.value))
    #> get_ioc raised HTTPError('401 Client Error')
