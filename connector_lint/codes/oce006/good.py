"""Do: wrap only the calls that raise the error the handler is written for."""

import requests
from pycti import OpenCTIConnectorHelper


class DataRetrievalError(Exception):
    """The source did not answer, or not as documented."""


def fetch_reports(
    helper: OpenCTIConnectorHelper, session: requests.Session, url: str
) -> list[dict[str, str]]:
    try:
        response = session.get(url, timeout=30)
        response.raise_for_status()
    except requests.RequestException as err:
        raise DataRetrievalError(f"{url}: {err}") from err
    reports: list[dict[str, str]] = response.json()["reports"]
    helper.connector_logger.info("Reports fetched", {"count": len(reports)})
    return reports
