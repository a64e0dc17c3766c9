"""Don't: test an error path with pytest.raises(Exception): it passes on
broken code."""

import os
import re
import subprocess
import sys
import urllib.error
from collections.abc import Iterator

import pytest
import requests
import responses

URL = "https://source.example"


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


# --8<-- [start:example]
class ClientAPI:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def get_ioc(self, ioc_id: str) -> dict[str, str]:
        try:
            response = self.session.get(
                f"{self.base_url}/iocs/{ioc_id}", timeout=10
            )
            response.raise_for_status()
        except urllib.error.HTTPError as err:  # urllib's, not requests'
            raise DataRetrievalError(f"Source failed for {ioc_id}") from err
        ioc: dict[str, str] = response.json()
        return ioc


@pytest.fixture
def client() -> Iterator[ClientAPI]:
    client = ClientAPI(URL)
    yield client
    client.session.close()


def test_get_ioc_raises_data_retrieval_error(client: ClientAPI) -> None:
    # Given a source that refuses the API key
    with responses.RequestsMock() as rsps:
        rsps.get(f"{URL}/iocs/ioc-1", status=401)
        # When get_ioc is called, then... any exception at all will do
        with pytest.raises(Exception):  # [B017, PT011]
            client.get_ioc("ioc-1")


# --8<-- [end:example]
def pytest_outcome() -> str:
    """Run this file with pytest, and say how it ended, without timings."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + [__file__],
        env={**os.environ, "PYTEST_ADDOPTS": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1]
    return re.sub(r" in [\d.]+s.*$", "", summary)


def raised_by_get_ioc() -> str:
    """What get_ioc really raises on a 401, by its full name."""
    with responses.RequestsMock() as rsps:
        rsps.get(f"{URL}/iocs/ioc-1", status=401)
        with pytest.raises(requests.RequestException) as excinfo:
            ClientAPI(URL).get_ioc("ioc-1")
    kind = type(excinfo.value)
    return f"{kind.__module__}.{kind.__name__}"


if __name__ == "__main__":
    print("pytest:", pytest_outcome())  # the test is green
    #> pytest: 1 passed
    # Yet no DataRetrievalError: requests' own error goes through unwrapped.
    print("get_ioc raised", raised_by_get_ioc())
    #> get_ioc raised requests.exceptions.HTTPError
