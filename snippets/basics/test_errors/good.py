"""Do: a pytest test that asserts the exception's type, message and cause."""

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
        except requests.HTTPError as err:
            status = err.response.status_code
            raise DataRetrievalError(
                f"The source answered {status} for IOC {ioc_id}"
            ) from err
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
        # When get_ioc is called, then a DataRetrievalError names the status
        with pytest.raises(
            DataRetrievalError, match=r"answered 401 for IOC ioc-1$"
        ) as excinfo:
            client.get_ioc("ioc-1")
    # ... raised from requests' HTTPError, which keeps the response
    cause = excinfo.value.__cause__  # (1)!
    assert isinstance(cause, requests.HTTPError)
    assert cause.response.status_code == 401


# --8<-- [end:example]
class BuggyClientAPI(ClientAPI):
    """bad.py's client: it catches urllib's HTTPError, not requests'."""

    def get_ioc(self, ioc_id: str) -> dict[str, str]:
        try:
            response = self.session.get(
                f"{self.base_url}/iocs/{ioc_id}", timeout=10
            )
            response.raise_for_status()
        except urllib.error.HTTPError as err:
            raise DataRetrievalError(f"Source failed for {ioc_id}") from err
        ioc: dict[str, str] = response.json()
        return ioc


# Scaffolding: run with CLIENT=buggy, the fixture builds bad.py's client.
if os.environ.get("CLIENT") == "buggy":
    globals()["ClientAPI"] = BuggyClientAPI


def pytest_outcome(client: str) -> str:
    """Run this file with pytest, and say how it ended, without timings."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + [__file__],
        env={**os.environ, "CLIENT": client, "PYTEST_ADDOPTS": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1]
    outcome = re.sub(r" in [\d.]+s.*$", "", summary)
    escaped = re.search(r"^E +([\w.]+): ", result.stdout, re.M)
    return f"{outcome} ({escaped[1]})" if escaped else outcome


if __name__ == "__main__":
    print("This client:", pytest_outcome("fixed"))
    #> This client: 1 passed
    print("bad.py's client:", pytest_outcome("buggy"))
    #> bad.py's client: 1 failed (requests.exceptions.HTTPError)
