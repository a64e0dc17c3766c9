"""Do: put the reason in the record's fields; the run goes on: no traceback."""

import logging

import requests

logger = logging.getLogger(__name__)


def fetch_ioc(session: requests.Session, url: str) -> dict[str, str] | None:
    """The IOC at url, or None when the source timed out."""
    try:
        response = session.get(url, timeout=30)
    except requests.Timeout as err:
        logger.warning("IOC skipped", extra={"url": url, "reason": str(err)})
        return None
    ioc: dict[str, str] = response.json()
    return ioc
