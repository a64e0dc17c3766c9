"""Don't: end the process in the client: its caller can't close the work, or
retry."""

import sys

import requests
from pycti import OpenCTIConnectorHelper


def fetch_ids(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> list[str]:
    try:
        response = session.get(url, timeout=30)
    except requests.RequestException as err:
        helper.connector_logger.warning(
            "Source unreachable", {"reason": str(err)}
        )
        sys.exit(1)  # [OCE008]
    ids: list[str] = response.json()["ids"]
    return ids
