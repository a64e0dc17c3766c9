"""One GET against the data source, with bounded size, a deadline, and bounded retries.

Kept apart from ``client_api`` so the client reads as "what to fetch and what it means",
and this module as "how to fetch it safely".
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from snippets.example_connector.logging_protocol import ConnectorLogger

# Statuses worth asking again: rate limiting and the server's own transient failures.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 30.0
CHUNK_BYTES = 64 * 1024
# Error bodies up to this size are read, so that their connection can be reused.
MAX_ERROR_BODY_BYTES = 16 * 1024


class TransientHTTPError(requests.HTTPError):  # (1)!
    """A status in ``TRANSIENT_STATUSES``; ``retry_after`` is the server's hint, if any."""

    def __init__(self, status: int, reason: str, retry_after: float | None) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.retry_after = retry_after


class ResponseTooLargeError(requests.RequestException):
    """The body is larger than the caller accepts."""


class DeadlineExceededError(requests.Timeout):
    """The whole body did not arrive in time (a server trickling bytes never times out)."""


@dataclass(frozen=True)
class Body:
    status: int
    content: bytes
    content_type: str


def is_transient(error: BaseException) -> bool:
    """Whether the same request may succeed if sent again."""
    if isinstance(error, DeadlineExceededError | ResponseTooLargeError):  # (2)!
        return False
    return isinstance(
        error,
        TransientHTTPError
        | requests.Timeout
        | requests.ConnectionError
        | requests.exceptions.ChunkedEncodingError,
    )


def new_session(base_url: str) -> requests.Session:
    """A session for one server, with the environment's proxy and CA settings read once.

    By default requests reads the proxy variables again for every request, and walks the
    whole environment to do it: a sixth of a run's time in the benchmarks' profile. A run
    talks to one server and its environment does not change, so they are read here once.
    """
    session = requests.Session()
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if ca_bundle:
        session.verify = ca_bundle
    session.trust_env = False
    return session


class Transport:
    """GET with timeouts, a size limit, a total deadline and retries on transient errors."""

    def __init__(
        self,
        session: requests.Session,
        logger: ConnectorLogger,
        *,
        timeout_seconds: float,
        max_attempts: int,
    ) -> None:
        self._session = session
        self._logger = logger
        self._timeout = timeout_seconds
        self._max_attempts = max_attempts

    def get(
        self,
        url: str,
        *,
        params: dict[str, str] | None = None,
        max_bytes: int,
        attempts: int | None = None,
    ) -> Body:
        tries = attempts or self._max_attempts
        if tries == 1:
            # Nothing to retry: tenacity's machinery would only cost time (half of a
            # run's requests are the single-attempt PDF ones).
            return self._get_once(url, params, max_bytes)
        retrying = Retrying(
            stop=stop_after_attempt(tries),
            wait=self._wait,
            retry=retry_if_exception(is_transient),
            before_sleep=self._log_retry,
            reraise=True,  # (3)!
        )
        return retrying(self._get_once, url, params, max_bytes)

    def _get_once(
        self, url: str, params: dict[str, str] | None, max_bytes: int
    ) -> Body:
        timeout = (self._timeout, self._timeout)
        with self._session.get(
            url, params=params, timeout=timeout, stream=True
        ) as answer:
            if answer.status_code >= 400:
                self._discard_error_body(answer)
            if answer.status_code in TRANSIENT_STATUSES:
                raise TransientHTTPError(
                    answer.status_code, answer.reason, _retry_after(answer)
                )
            answer.raise_for_status()  # (4)!
            content = self._read(answer, max_bytes)
            return Body(
                answer.status_code, content, answer.headers.get("Content-Type", "")
            )

    def _read(self, answer: requests.Response, max_bytes: int) -> bytes:
        declared = answer.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise ResponseTooLargeError(f"body of {declared} bytes, limit {max_bytes}")
        deadline = time.monotonic() + 3 * self._timeout
        chunks: list[bytes] = []
        size = 0
        # read1 returns what has arrived, so a server trickling bytes meets the deadline.
        while chunk := _read_some(answer):
            size += len(chunk)
            if size > max_bytes:
                raise ResponseTooLargeError(f"body over the limit of {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise DeadlineExceededError(
                    f"body not received in {3 * self._timeout:g}s"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _discard_error_body(self, answer: requests.Response) -> None:
        """Read a small error body to its end, so that the connection serves the next request.

        A response closed with unread data closes its connection, and a missing PDF (a 404)
        is half of a run's requests: without this, each one costs a new connection. The
        status is what the caller reports; a body that can't be read only loses the
        connection, as before.
        """
        declared = answer.headers.get("Content-Length", "")
        if not declared.isdigit() or int(declared) > MAX_ERROR_BODY_BYTES:
            return
        try:
            self._read(answer, MAX_ERROR_BODY_BYTES)
        except requests.RequestException as err:
            self._logger.debug(
                "Error body not read; the connection is closed",
                {
                    "status": answer.status_code,
                    "reason": f"{type(err).__name__}: {err}",
                },
            )

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TransientHTTPError) and error.retry_after is not None:
            return min(error.retry_after, MAX_RETRY_AFTER_SECONDS)
        backoff: float = wait_exponential(multiplier=0.2, max=5)(state)
        return backoff

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        meta: dict[str, Any] = {
            "url": state.args[0] if state.args else None,
            "attempt": state.attempt_number,
            "reason": str(error),
            "wait_seconds": round(state.upcoming_sleep, 2),
        }
        self._logger.debug("Retrying a request to the source", meta)  # (5)!


def _read_some(answer: requests.Response) -> bytes:
    """The next bytes that arrived, with urllib3's errors translated as requests does."""
    try:
        return answer.raw.read1(CHUNK_BYTES, decode_content=True)
    except urllib3.exceptions.ProtocolError as err:
        raise requests.exceptions.ChunkedEncodingError(err) from err  # (6)!
    except urllib3.exceptions.ReadTimeoutError as err:
        raise requests.ReadTimeout(err) from err
    except urllib3.exceptions.DecodeError as err:
        raise requests.exceptions.ContentDecodingError(err) from err


def _retry_after(answer: requests.Response) -> float | None:
    """Retry-After as seconds; the header holds either seconds or an HTTP date."""
    value = answer.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
