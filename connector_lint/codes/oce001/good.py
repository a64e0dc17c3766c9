"""Do: give pycti's logger a message and a meta dict, the only arguments it
takes."""

import requests
from pycti import OpenCTIConnectorHelper


def fetch_ioc(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> dict[str, str] | None:
    """The IOC at url, or None when the source timed out."""
    try:
        response = session.get(url, timeout=30)
    except requests.Timeout as err:
        helper.connector_logger.warning(
            "IOC skipped", {"url": url, "reason": str(err)}
        )
        return None
    ioc: dict[str, str] = response.json()
    return ioc
