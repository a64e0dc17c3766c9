"""Do: turn every failure of the source into a DataRetrievalError raised from the cause."""

import json
import logging
import urllib.error
from email.message import Message
from logging.handlers import BufferingHandler

logger = logging.getLogger("connector")
ANSWERS: dict[str, bytes | int | None] = {  # what the feed answers, IOC by IOC
    "ioc-1": b'{"value": "evil.example"}',
    "ioc-2": 503,
    "ioc-3": b"<html>Down for maintenance</html>",
    "ioc-4": None,  # no answer in time
    "ioc-5": b'{"ip": "198.51.100.7"}',
    "ioc-6": b'{"value": "198.51.100.7"}',
}


def transport(url: str) -> bytes:
    """Fake HTTP GET: no network. A real client would use urllib or requests."""
    answer = ANSWERS[url.rsplit("/", 1)[1]]
    if answer is None:
        raise TimeoutError("The read operation timed out")
    if isinstance(answer, int):
        raise urllib.error.HTTPError(
            url, answer, "Service Unavailable", Message(), None
        )
    return answer


class DataRetrievalError(Exception):
    """The source did not deliver usable data: not the connector's fault."""


def get_value(ioc_id: str) -> str:
    try:  # HTTPError is a URLError; socket timeouts are TimeoutError
        body = transport(f"https://feed.example/iocs/{ioc_id}")
    except (urllib.error.URLError, TimeoutError) as err:
        raise DataRetrievalError(f"{ioc_id}: request failed: {err}") from err  # (1)!
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as err:
        raise DataRetrievalError(
            f"{ioc_id}: answer is not JSON: {body[:20]!r}"
        ) from err
    try:
        value = payload["value"]
    except (KeyError, TypeError) as err:
        raise DataRetrievalError(f"{ioc_id}: answer has no 'value'") from err
    return str(value)


def run() -> list[str]:
    imported = []
    for ioc_id in ANSWERS:
        try:
            imported.append(get_value(ioc_id))
        except DataRetrievalError as err:  # maybe recoverable: skip, retry next run
            cause = type(err.__cause__).__name__
            logger.warning("Skipped %s", err, extra={"cause": cause})
    return imported


if __name__ == "__main__":
    logs = BufferingHandler(capacity=100)
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    print("imported:", run())
    #> imported: ['evil.example', '198.51.100.7']
    for record in logs.buffer:
        print(record.levelname, record.getMessage())
        #> WARNING Skipped ioc-2: request failed: HTTP Error 503: Service Unavailable
        #> WARNING Skipped ioc-3: answer is not JSON: b'<html>Down for maint'
        #> WARNING Skipped ioc-4: request failed: The read operation timed out
        #> WARNING Skipped ioc-5: answer has no 'value'
    print("caused by:", [vars(record)["cause"] for record in logs.buffer])
    #> caused by: ['HTTPError', 'JSONDecodeError', 'TimeoutError', 'KeyError']
