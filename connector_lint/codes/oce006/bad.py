"""Don't: wrap the whole step: its handler takes any error for the source's."""

import requests
from pycti import OpenCTIConnectorHelper


class DataRetrievalError(Exception):
    """The source did not answer, or not as documented."""


def fetch_reports(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> list[dict[str, str]]:
    try:  # [OCE006]
        response = session.get(url, timeout=30)
        reports: list[dict[str, str]] = response.json()["reports"]
        more = session.get(url, params={"page": 2}, timeout=30)
        reports += more.json()["reports"]
        helper.connector_logger.info(
            "Reports fetched", {"count": len(reports)}
        )
    except requests.RequestException as err:
        raise DataRetrievalError(f"{url}: {err}") from err
    return reports
