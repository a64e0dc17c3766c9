"""Don't: call pycti's logger as the standard library's: the handler raises."""

import requests
from pycti import OpenCTIConnectorHelper


def fetch_ioc(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> dict[str, str] | None:
    """The IOC at url, or None when the source timed out."""
    try:
        response = session.get(url, timeout=30)
    except requests.Timeout as err:
        helper.connector_logger.warning(  # [OCE001]
            "IOC %s skipped: %s", url, err
        )
        helper.connector_logger.warning(
            "IOC skipped", exc_info=err  # [OCE001]
        )
        return None
    ioc: dict[str, str] = response.json()
    return ioc
