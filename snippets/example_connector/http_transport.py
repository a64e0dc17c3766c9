"""One GET against the data source, with bounded size, a deadline, and bounded retries.

Kept apart from ``client_api`` so the client reads as "what to fetch and what it means",
and this module as "how to fetch it safely". The source is not trusted: every request has
one deadline for all its phases (``deadline``), redirects are not followed (the API key
would go with them), every body has a size limit, and every header it reads is parsed
strictly: whatever the server sends, what leaves here is a ``requests.RequestException``.
"""

from __future__ import annotations

import http.client
import os
import re
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

from snippets.example_connector.bounds import quoted
from snippets.example_connector.deadline import DeadlineAdapter, deadline
from snippets.example_connector.logging_protocol import ConnectorLogger

# Statuses worth asking again: rate limiting and the server's own transient failures.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 30.0
CHUNK_BYTES = 64 * 1024
# Error bodies up to this size are read, so that their connection can be reused.
MAX_ERROR_BODY_BYTES = 16 * 1024
# A whole request, every phase and retry excluded, may take this many read timeouts.
DEADLINE_TIMEOUTS = 3
# Content-Length and Retry-After in seconds: ASCII digits only ("²".isdigit() is True).
DECIMAL = re.compile(r"[0-9]{1,18}")
# What breaks when the watchdog shuts a socket, besides requests' own errors.
CUT_OFF = (OSError, http.client.HTTPException, urllib3.exceptions.HTTPError)


class TransientHTTPError(requests.HTTPError):  # (1)!
    """A status in ``TRANSIENT_STATUSES``; ``retry_after`` is the server's hint, if any."""

    def __init__(self, status: int, reason: str, retry_after: float | None) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.retry_after = retry_after


class ResponseTooLargeError(requests.RequestException):
    """The body is larger than the caller accepts."""


class DeadlineExceededError(requests.Timeout):
    """The whole answer did not arrive in time (a server trickling bytes never times out)."""


class RedirectRefusedError(requests.RequestException):
    """The source answered with a redirect, which is not followed: the API key would go
    to wherever it points, and what comes back there is not the source's."""


@dataclass(frozen=True)
class Body:
    status: int
    content: bytes
    content_type: str


def is_transient(error: BaseException) -> bool:
    """Whether the same request may succeed if sent again."""
    if isinstance(
        error, DeadlineExceededError | ResponseTooLargeError | RedirectRefusedError
    ):  # (2)!
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
    for scheme in ("http://", "https://"):
        session.mount(scheme, DeadlineAdapter())
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
        self._deadline = DEADLINE_TIMEOUTS * timeout_seconds
        self._max_attempts = max_attempts
        # Each unusable header is said once a run, not once a request.
        self._unusable_headers: set[str] = set()

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
        late = f"no complete answer in {self._deadline:g}s"
        with deadline(self._deadline) as watchdog:
            try:
                body = self._exchange(url, params, max_bytes)
            except CUT_OFF as err:
                if watchdog.expired:
                    raise DeadlineExceededError(late) from err
                if isinstance(err, requests.RequestException):
                    raise
                raise requests.ConnectionError(err) from err
        # A cut socket can also read as a clean end: headers that stop, trailers that
        # end. An answer that ends after the deadline is not one.
        if watchdog.expired:
            raise DeadlineExceededError(late)
        return body

    def _exchange(
        self, url: str, params: dict[str, str] | None, max_bytes: int
    ) -> Body:
        timeout = (self._timeout, self._timeout)
        with self._session.get(
            url, params=params, timeout=timeout, stream=True, allow_redirects=False
        ) as answer:
            if answer.status_code >= 300:
                self._discard_error_body(answer)
            if 300 <= answer.status_code < 400:
                location = quoted(answer.headers.get("Location", "(none)"))
                raise RedirectRefusedError(
                    f"{answer.status_code} redirect to {location}, not followed"
                )
            if answer.status_code in TRANSIENT_STATUSES:
                raise TransientHTTPError(
                    answer.status_code,
                    quoted(answer.reason),
                    self._retry_after(answer),
                )
            answer.raise_for_status()  # (4)!
            content = self._read(answer, max_bytes)
            return Body(
                answer.status_code,
                content,
                quoted(answer.headers.get("Content-Type", "")),
            )

    def _read(self, answer: requests.Response, max_bytes: int) -> bytes:
        declared = self._decimal(answer, "Content-Length")
        if declared is not None and declared > max_bytes:
            raise ResponseTooLargeError(f"body of {declared} bytes, limit {max_bytes}")
        chunks: list[bytes] = []
        size = 0
        # read1 returns what has arrived; the deadline's watchdog ends a trickle.
        while chunk := _read_some(answer):
            size += len(chunk)
            if size > max_bytes:
                raise ResponseTooLargeError(f"body over the limit of {max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _discard_error_body(self, answer: requests.Response) -> None:
        """Read a small error body to its end, so that the connection serves the next request.

        A response closed with unread data closes its connection, and a missing PDF (a 404)
        is half of a run's requests: without this, each one costs a new connection. The
        status is what the caller reports; a body that can't be read only loses the
        connection, as before.
        """
        declared = self._decimal(answer, "Content-Length")
        if declared is None or declared > MAX_ERROR_BODY_BYTES:
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

    def _decimal(self, answer: requests.Response, header: str) -> int | None:
        """A header holding a number of bytes or seconds; None when absent or unusable."""
        value = answer.headers.get(header)
        if value is None:
            return None
        if DECIMAL.fullmatch(value.strip()):
            return int(value)
        self._unusable(header, value)
        return None

    def _retry_after(self, answer: requests.Response) -> float | None:
        """Retry-After as seconds: it holds either seconds or an HTTP date."""
        value = answer.headers.get("Retry-After")
        if value is None or DECIMAL.fullmatch(value.strip()):
            seconds = self._decimal(answer, "Retry-After")
            return None if seconds is None else float(seconds)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            self._unusable("Retry-After", value)
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT; an odd one may lack a zone
            self._unusable("Retry-After", value)
            return None
        return max(0.0, when.timestamp() - time.time())

    def _unusable(self, header: str, value: str) -> None:
        if header in self._unusable_headers:
            return
        self._unusable_headers.add(header)
        self._logger.warning(
            "The source sent a header that can't be used; it is ignored",
            {"header": header, "value": quoted(value)},
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
