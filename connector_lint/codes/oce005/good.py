"""Do: log the error you handle as a WARNING; ERROR is for the top-level
handler."""

import requests
from pycti import OpenCTIConnectorHelper


def fetch_ioc(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> dict[str, str] | None:
    """The IOC at url, or None when the source timed out."""
    try:
        response = session.get(url, timeout=30)
    except requests.Timeout as err:
        helper.connector_logger.warning("IOC skipped", {"reason": str(err)})
        return None
    ioc: dict[str, str] = response.json()
    return ioc
