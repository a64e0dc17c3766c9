"""Do: raise, and let main() decide whether the failure ends the process."""

import requests


class DataRetrievalError(Exception):
    """The source did not answer, or not as documented."""


def fetch_ids(session: requests.Session, url: str) -> list[str]:
    try:
        response = session.get(url, timeout=30)
    except requests.RequestException as err:
        raise DataRetrievalError(f"{url} is unreachable: {err}") from err
    ids: list[str] = response.json()["ids"]
    return ids
