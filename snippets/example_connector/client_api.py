"""The data source's API: what to fetch, and what each failure means for the connector.

Every failure of the source (an HTTP error, a timeout, a refused or reset connection, a body
that isn't JSON or doesn't match the model) leaves this module as a ``DataRetrievalError``
raised from the original error, so callers handle one exception type and still see the cause.
"""

from __future__ import annotations

import datetime
import re
from typing import TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, SecretStr, ValidationError

from snippets.example_connector.bounds import BoundedLogger, quoted
from snippets.example_connector.errors import (
    ApiKeyRefusedError,
    DataRetrievalError,
    TooManyIdsError,
)
from snippets.example_connector.http_transport import (
    Body,
    DeadlineExceededError,
    ResponseTooLargeError,
    Transport,
    is_transient,
    new_session,
)
from snippets.example_connector.logging_protocol import ConnectorLogger
from snippets.example_connector.models import IOCIdsResponseModel, IOCResponseModel

ModelT = TypeVar("ModelT", bound=BaseModel)

# An IOC is a few hundred bytes; anything far larger is not an IOC.
MAX_JSON_BYTES = 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
# An id goes into a URL as one path segment: these characters only, and never "." or
# "..", which a URL reads as "this folder" and "the one above".
MAX_ID_LENGTH = 128
ID = re.compile(rf"[A-Za-z0-9._~:@+=-]{{1,{MAX_ID_LENGTH}}}")
# One id in the JSON list: the id, its quotes, a comma and a space.
ID_LIST_BYTES_PER_ID = MAX_ID_LENGTH + 4
PDF_MAGIC = b"%PDF-"
# The key was refused: once someone fixes it, the same ids can be fetched again.
CREDENTIAL_STATUSES = frozenset({401, 403})


class ClientAPI:
    """A client of the IOC source, over one HTTP session."""

    def __init__(
        self,
        base_url: str,
        api_key: SecretStr,
        logger: ConnectorLogger,
        *,
        timeout_seconds: float = 10.0,
        max_attempts: int = 4,
        max_ids: int = 100_000,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._logger = BoundedLogger(logger)
        self._max_ids = max_ids
        self._session = new_session(self._base_url)
        self._session.headers["X-API-Key"] = api_key.get_secret_value()  # (1)!
        self._transport = Transport(
            self._session,
            self._logger,
            timeout_seconds=timeout_seconds,
            max_attempts=max_attempts,
        )

    def close(self) -> None:
        self._session.close()

    def get_ids(self, start: datetime.datetime, end: datetime.datetime) -> list[str]:
        """The ids of the IOCs created in [start, end), oldest first, each once.

        More than ``max_ids`` of them raise ``TooManyIdsError``: the caller asks for
        shorter windows, so a run's memory is bounded by the setting, not by the source.
        """
        params = {"start": _iso(start), "end": _iso(end)}
        what = f"the IOC ids between {params['start']} and {params['end']}"
        too_many = f"{what}: more than {self._max_ids} ids"
        max_bytes = self._max_ids * ID_LIST_BYTES_PER_ID + 64
        try:
            body = self._fetch(
                "iocs",
                what,
                params=params,
                max_bytes=max_bytes,
            )
        except DataRetrievalError as err:
            if isinstance(err.__cause__, ResponseTooLargeError):
                raise TooManyIdsError(
                    f"{too_many}, or an answer over the {max_bytes} bytes they take",
                    retryable=True,
                ) from err.__cause__
            raise
        listed = self._parse(IOCIdsResponseModel, body, what).ids
        if len(listed) > self._max_ids:
            raise TooManyIdsError(too_many, retryable=True)
        ids = list(dict.fromkeys(listed))  # (7)!
        if len(ids) < len(listed):
            self._logger.info(
                "The source listed ids more than once; each is fetched once",
                {"listed": len(listed), "distinct": len(ids)},
            )
        return ids

    def get_ioc(self, ioc_id: str) -> IOCResponseModel:
        """One IOC; warns with a ``PermissiveValidationWarning`` for undocumented data."""
        what = f"IOC {quoted(ioc_id)}"
        body = self._fetch(
            f"iocs/{path_segment(ioc_id)}", what, max_bytes=MAX_JSON_BYTES
        )
        return self._parse(IOCResponseModel, body, what)

    def get_pdf(self, ioc_id: str) -> bytes | None:
        """The IOC's PDF report, or None: the endpoint is undocumented and may not answer.

        Its absence is the documented quirk of this source (see the README), so it is
        logged at INFO, with the details at DEBUG, and never fails the IOC.
        """
        url = f"{self._base_url}/pdf/{path_segment(ioc_id)}"
        try:
            body = self._transport.get(url, max_bytes=MAX_PDF_BYTES, attempts=1)
        except requests.RequestException as err:
            self._log_no_pdf(ioc_id, url, f"{type(err).__name__}: {err}")
            return None  # (3)!
        # A 200 can still be an error page or an empty body: attach only a real PDF.
        if not body.content.startswith(PDF_MAGIC):
            reason = f"not a PDF: {body.content_type!r}, {len(body.content)} bytes"
            self._log_no_pdf(ioc_id, url, reason)
            return None
        return body.content

    def _log_no_pdf(self, ioc_id: str, url: str, reason: str) -> None:
        self._logger.info("PDF cannot be retrieved", {"ioc_id": ioc_id})  # (2)!
        self._logger.debug(
            "PDF retrieval failed", {"ioc_id": ioc_id, "url": url, "reason": reason}
        )

    def _fetch(
        self,
        path: str,
        what: str,
        *,
        params: dict[str, str] | None = None,
        max_bytes: int,
    ) -> Body:
        url = f"{self._base_url}/{path}"
        try:
            return self._transport.get(url, params=params, max_bytes=max_bytes)
        except requests.RequestException as err:  # (4)!
            self._logger.debug(
                "Request to the source failed",
                {
                    "url": url,
                    "params": params,
                    "reason": f"{type(err).__name__}: {err}",
                },
            )
            error = ApiKeyRefusedError if _key_refused(err) else DataRetrievalError
            raise error(
                f"the source could not provide {what}: {_reason(err)}",
                retryable=_may_succeed_later(err),  # (5)!
            ) from err

    @staticmethod
    def _parse(model: type[ModelT], body: Body, what: str) -> ModelT:
        """Validate the body; data that is usable but not as documented raises warnings
        (see ``models``), which the caller turns into log records with the entity's id."""
        try:
            return model.model_validate_json(body.content)
        except ValidationError as err:
            raise DataRetrievalError(  # (6)!
                f"the source sent an invalid answer for {what}: {_problems(err)}",
                retryable=False,
            ) from err


def _may_succeed_later(error: requests.RequestException) -> bool:
    """Whether a later run may get it: transient errors, and a key that may be fixed.

    A 404 or an invalid record is final: asking again would get the same answer.
    """
    if is_transient(error) or isinstance(error, DeadlineExceededError):
        return True
    return _key_refused(error)


def _key_refused(error: requests.RequestException) -> bool:
    response = error.response
    return response is not None and response.status_code in CREDENTIAL_STATUSES


def path_segment(ioc_id: str) -> str:
    """``ioc_id`` as exactly one segment of a URL's path, or a ``DataRetrievalError``."""
    if not ID.fullmatch(ioc_id) or set(ioc_id) == {"."}:
        raise DataRetrievalError(
            f"the source listed an id that can't be asked for: {quoted(ioc_id)!r} "
            f"(at most {MAX_ID_LENGTH} letters, digits and ._~:@+=-, not only dots)",
            retryable=False,
        )
    return quote(ioc_id, safe="")


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(error: requests.RequestException) -> str:
    response = error.response
    if response is not None:
        return f"HTTP {response.status_code} {response.reason}"
    return f"{type(error).__name__}: {error}"


def _problems(error: ValidationError) -> str:
    """The validation errors without the rejected input, which may be huge or hostile."""
    details = [
        f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}"
        for e in error.errors(include_input=False, include_url=False)
    ]
    return "; ".join(details[:5]) + ("; ..." if len(details) > 5 else "")
