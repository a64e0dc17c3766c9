"""Don't: keep a suppression that covers nothing: it would hide the next
finding."""

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
        return (
            None  # [OCE901] # connector-lint: ignore[OCE003] callers check it
        )
    ioc: dict[str, str] = response.json()
    return ioc
