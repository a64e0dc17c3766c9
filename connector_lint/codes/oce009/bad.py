"""Don't: log a skipped IOC with its traceback: the skip reads like a crash."""

import logging

import requests

logger = logging.getLogger(__name__)


def fetch_ioc(session: requests.Session, url: str) -> dict[str, str] | None:
    """The IOC at url, or None when the source timed out."""
    try:
        response = session.get(url, timeout=30)
    except requests.Timeout:
        logger.warning("IOC skipped", exc_info=True)  # [OCE009]
        return None
    ioc: dict[str, str] = response.json()
    return ioc
