"""Do: suppress only a finding there is: None in a result typed "| None" is none."""

import requests
from pycti import OpenCTIConnectorHelper


def fetch_ioc(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> dict[str, str] | None:
    try:
        response = session.get(url, timeout=30)
    except requests.Timeout as err:
        helper.connector_logger.warning("IOC skipped", {"reason": str(err)})
        return None
    ioc: dict[str, str] = response.json()
    return ioc
