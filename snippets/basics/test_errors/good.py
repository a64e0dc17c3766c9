"""Do: assert the exception's exact type, its message and its cause."""

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
        except HTTPError as err:
            status = err.response.status_code
            raise DataRetrievalError(f"Source answered {status} for {ioc_id}") from err


class BadClientAPI(ClientAPI):
    def get_ioc(self, ioc_id: str) -> dict[str, str]:
        try:
            return self._get(f"/iocs/{ioc_id}")
        except urllib.error.HTTPError as err:  # bad.py's bug: not requests' HTTPError
            raise DataRetrievalError(f"Source failed for IOC {ioc_id}") from err


def test_get_ioc_should_raise_data_retrieval_error(client: ClientAPI) -> None:
    # Given a client whose _get raises an HTTPError with a 401 status
    unauthorized = HTTPError(Mock(status_code=401))
    with patch.object(client, "_get", side_effect=unauthorized):
        # When calling get_ioc, then a DataRetrievalError naming the status is raised
        with pytest.raises(DataRetrievalError, match="401 for dummy_id") as excinfo:
            client.get_ioc("dummy_id")
    # ... from the HTTP error, which stays in the traceback for whoever debugs it
    assert excinfo.value.__cause__ is unauthorized  # (1)!


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
    # The same test on bad.py's client fails, as it should.
    print(check(test_get_ioc_should_raise_data_retrieval_error, BadClientAPI()))
    #> FAILED: HTTPError: 401 Client Error
