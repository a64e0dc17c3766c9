"""The demo threat-intel API that the example connector reads, with faults on demand.

Endpoints (``X-API-Key`` required, else 401 ``{"error": "invalid or missing API key"}``):

- ``GET /iocs?start=<ISO-8601 UTC>&end=<ISO-8601 UTC>`` -> ``{"ids": ["ioc-0001", ...]}``,
  the ids created in [start, end), oldest first; 400 ``{"error", "param"}`` for a bad param.
- ``GET /iocs/{id}`` -> ``{"id", "value", "type", "description", "created_at"}``; 404 if unknown.
- ``GET /pdf/{id}`` -> ``application/pdf`` for about half the ids, 404 for the others: the
  endpoint is undocumented, so a missing report is normal.

Any other id, ``.``, ``..`` or one of 10,000 characters included, is a 404 ``{"error"}``
whose message shows at most 64 characters of it; an id holding ``/`` once decoded is no
endpoint at all (404). The ``redirect_away`` fault sends clients to ``other_origin``, a
second server that records what it receives (see ``source_other_origin``).

Admin endpoints (loopback only, no key): ``GET/POST/DELETE /_faults`` to read, replace or
clear the faults (see ``source_faults``), ``GET/DELETE /_stats`` to read or reset the
request counts. Run it alone with ``python -m connector_sandbox.source --api-key KEY``.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import json
import logging
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Self
from urllib.parse import unquote, urlsplit

from connector_sandbox._server import BackgroundServer
from connector_sandbox.cli import (
    add_shared_arguments,
    parse_shared_arguments,
    serve_until_ctrl_c,
)
from connector_sandbox.source_data import (
    STEP,
    BadParamError,
    Ioc,
    SeededData,
    UnknownIocError,
    format_id,
    parse_window,
)
from connector_sandbox.source_faults import (
    VALID_ENDPOINTS,
    VALID_NAMES,
    Endpoint,
    FaultBook,
    FaultSpec,
    InvalidFaultError,
    invalid,
    parse_faults,
)
from connector_sandbox.source_http import API_KEY_HEADER, SourceHandler
from connector_sandbox.source_other_origin import OtherOrigin
from connector_sandbox.source_replies import (
    PDF,
    Reply,
    error_reply,
    faulted,
    json_reply,
)

logger = logging.getLogger(__name__)

__all__ = ["API_KEY_HEADER", "DemoSource", "FaultSpec", "InvalidFaultError", "Stats"]

_ADMIN_PATHS = ("/_faults", "/_stats")
_BAD_KEY = "invalid or missing API key"
# Longer ids are shown cut in messages; no seeded id comes near it.
_SHOWN_ID_CHARS = 64

FaultLike = FaultSpec | Mapping[str, object]


@dataclass(frozen=True)
class Stats:
    """Requests received per path (``/iocs``, ``/iocs/ioc-0001``...), admin ones excluded."""

    requests: dict[str, int]
    faults_fired: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    def to_json(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "faults_fired": self.faults_fired,
            "total": self.total,
        }


class DemoSource(BackgroundServer):
    """The demo API on 127.0.0.1 with ``count`` IOCs seeded from ``seed``; a context manager.

    The IOCs are created one per ``step`` from 2026-01-01 (see ``SeededData``).

    ``faults`` are ``FaultSpec`` objects or their JSON form; an invalid one raises
    InvalidFaultError, here and in ``set_faults``, before anything is served.

    ``other_origin`` is the server ``redirect_away`` points to; it starts and stops with
    this one. ``stopping`` is set when this one stops, which ends the faults that trickle.
    """

    def __init__(
        self,
        *,
        api_key: str,
        count: int = 20,
        seed: int = 0,
        faults: Iterable[FaultLike] = (),
        port: int = 0,
        step: timedelta = STEP,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._api_key = api_key.encode()
        self._data = SeededData(seed, count, step)
        self._seed = seed
        self._faults: FaultBook[FaultSpec] = FaultBook(self._checked(faults))
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._fired: Counter[str] = Counter()
        self.stopping = threading.Event()
        super().__init__(SourceHandler, port, name="demo-source")
        try:
            self._other_origin = OtherOrigin()
        except OSError:
            self._httpd.server_close()
            raise

    @property
    def other_origin(self) -> OtherOrigin:
        return self._other_origin

    def start(self) -> Self:
        self._other_origin.start()
        return super().start()

    def stop(self) -> None:
        self.stopping.set()
        try:
            super().stop()
        finally:
            self._other_origin.stop()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted, the other origin in its own."""
        self._other_origin.start()
        try:
            super().serve_forever()
        finally:
            self.stopping.set()
            self._other_origin.stop()

    @property
    def seed(self) -> int:
        return self._data.seed

    @property
    def count(self) -> int:
        return self._data.count

    def ioc(self, ioc_id: str) -> Ioc:
        """The seeded record behind ``GET /iocs/{id}``; UnknownIocError if there is none."""
        return self._data.ioc(ioc_id)

    def ids_between(self, start: datetime, end: datetime) -> list[str]:
        """What ``GET /iocs`` answers for [start, end) (timezone-aware datetimes)."""
        return self._data.ids_between(start, end)

    def has_pdf(self, ioc_id: str) -> bool:
        return self._data.has_pdf(ioc_id)

    def pdf(self, ioc_id: str) -> bytes:
        """The bytes of ``GET /pdf/{id}``; UnknownIocError for ids without a report."""
        return self._data.pdf(ioc_id)

    @property
    def faults(self) -> tuple[FaultSpec, ...]:
        return self._faults.faults

    def set_faults(self, faults: Iterable[FaultLike]) -> None:
        """Replace the active faults; their ``times`` counts start again from zero."""
        self._faults.replace(self._checked(faults))

    def clear_faults(self) -> None:
        self._faults.replace(())

    def stats(self) -> Stats:
        with self._lock:
            return Stats(dict(self._requests), dict(self._fired))

    def reset_stats(self) -> None:
        """Reset the counts, and forget what the other origin received."""
        with self._lock:
            self._requests.clear()
            self._fired.clear()
        self._other_origin.clear()

    def answer(
        self, method: str, target: str, api_key: str | None, body: bytes, client: str
    ) -> Reply:
        """The reply to one request; ``target`` is the path with its query string."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path in _ADMIN_PATHS:
            return self._admin(method, path, body, client)
        with self._lock:
            self._requests[path] += 1
        # http.server decodes headers as Latin-1: encoding back gives the bytes sent.
        sent = (api_key or "").encode("latin-1", "replace")
        if not hmac.compare_digest(sent, self._api_key):
            return error_reply(401, _BAD_KEY)
        if method != "GET":
            return json_reply(
                {"error": "only GET is allowed"}, 405, (("Allow", "GET"),)
            )
        if path == "/iocs":
            return self._ids(parts.query, target)
        kind, _, ioc_id = path.lstrip("/").partition("/")
        if kind in ("iocs", "pdf") and ioc_id and "/" not in ioc_id:
            return self._record(
                Endpoint.IOC if kind == "iocs" else Endpoint.PDF, ioc_id, target
            )
        return error_reply(404, f"no such endpoint: {_shown(path, quoted=False)}")

    def _ids(self, query: str, target: str) -> Reply:
        try:
            start, end = parse_window(query)
        except BadParamError as err:
            logger.info("rejected the id list query %r: %s", query, err)
            return error_reply(400, str(err), param=err.param)
        document: dict[str, object] = {"ids": self._data.ids_between(start, end)}
        return self._with_fault(
            Endpoint.IDS, query, target, json_reply(document), document
        )

    def _record(self, endpoint: Endpoint, ioc_id: str, target: str) -> Reply:
        unknown = f"no IOC with id {_shown(ioc_id)}"
        if len(ioc_id) > _SHOWN_ID_CHARS:
            # Not seeded; and int() refuses the digits of "ioc-" + 5,000 nines.
            logger.debug("answered 404: %s", unknown)
            return error_reply(404, unknown)
        try:
            ioc = self._data.ioc(ioc_id)
        except UnknownIocError:
            logger.debug("answered 404: %s", unknown)
            return error_reply(404, unknown)
        if endpoint is Endpoint.IOC:
            document: dict[str, object] = dict(ioc.to_json())
            return self._with_fault(
                endpoint, ioc_id, target, json_reply(document), document
            )
        if not self._data.has_pdf(ioc_id):
            normal = error_reply(404, f"no PDF report for IOC {ioc_id!r}")
        else:
            normal = Reply(200, self._data.pdf(ioc_id), PDF)
        return self._with_fault(endpoint, ioc_id, target, normal, None)

    def _with_fault(
        self,
        endpoint: Endpoint,
        key: str,
        target: str,
        normal: Reply,
        document: dict[str, object] | None,
    ) -> Reply:
        fault = self._faults.take(
            lambda f: f.endpoint is endpoint and f.selects(self._seed, key), key
        )
        if fault is None:
            return normal
        logger.debug("fault %s on %s %s", fault.name, endpoint, key)
        with self._lock:
            self._fired[str(fault.name)] += 1
        return faulted(
            fault,
            normal,
            document,
            target=target,
            other_origin=self._other_origin.url,
        )

    def _admin(self, method: str, path: str, body: bytes, client: str) -> Reply:
        # The server only listens on 127.0.0.1; this guards against that ever changing.
        if not ipaddress.ip_address(client).is_loopback:
            return error_reply(403, "admin endpoints answer loopback clients only")
        if path == "/_stats" and method in ("GET", "DELETE"):
            if method == "DELETE":
                self.reset_stats()
            return json_reply(self.stats().to_json())
        if path == "/_faults" and method in ("GET", "POST", "DELETE"):
            if method == "POST":
                return self._post_faults(body)
            if method == "DELETE":
                self.clear_faults()
            return json_reply({"faults": self._faults_json()})
        allowed = "GET, POST, DELETE" if path == "/_faults" else "GET, DELETE"
        return json_reply({"error": "method not allowed"}, 405, (("Allow", allowed),))

    def _post_faults(self, body: bytes) -> Reply:
        try:
            specs = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            logger.info("rejected fault specs that are not JSON: %s", err)
            return _bad_faults(f"the body is not JSON: {err}")
        try:
            self.set_faults(parse_faults(specs))
        except InvalidFaultError as err:
            logger.info("rejected fault specs: %s", err)
            return _bad_faults(str(err))
        return json_reply({"faults": self._faults_json()})

    def _faults_json(self) -> list[dict[str, object]]:
        return [{**f.to_json(), "fired": n} for f, n in self._faults.with_counts()]

    def _checked(self, faults: Iterable[FaultLike]) -> list[FaultSpec]:
        """Parsed specs whose ids are seeded ones: a typo would otherwise never fire."""
        specs = parse_faults(faults)
        for position, spec in enumerate(specs):
            if spec.id is None:
                continue
            try:
                self._data.index_of(spec.id)
            # ValueError: int() refuses ids of over 4,300 digits.
            except (UnknownIocError, ValueError) as err:
                seeded = (
                    f"ioc-0001 to {format_id(self.count - 1)}" if self.count else "none"
                )
                raise invalid(
                    f"fault #{position}: 'id' {spec.id!r} is not a seeded IOC id"
                    f" (seeded: {seeded})"
                ) from err
        return specs


def _shown(text: str, *, quoted: bool = True) -> str:
    """``text`` for a message: cut to _SHOWN_ID_CHARS, with its length, when longer."""
    shown = text[:_SHOWN_ID_CHARS]
    if quoted:
        shown = repr(shown)
    if len(text) <= _SHOWN_ID_CHARS:
        return shown
    return f"{shown}... ({len(text):,} characters)"


def _bad_faults(message: str) -> Reply:
    return error_reply(
        400,
        message,
        valid_names=list(VALID_NAMES),
        valid_endpoints=list(VALID_ENDPOINTS),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m connector_sandbox.source",
        description="Serve the demo threat-intel API on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--api-key", required=True, help="the X-API-Key clients must send"
    )
    parser.add_argument("--count", type=int, default=20, help="how many IOCs to seed")
    parser.add_argument("--seed", type=int, default=0)
    add_shared_arguments(
        parser, fault_example='{"name": "http_503", "endpoint": "ioc", "times": 2}'
    )
    args, faults = parse_shared_arguments(parser, argv)
    try:
        source = DemoSource(
            api_key=args.api_key,
            count=args.count,
            seed=args.seed,
            faults=faults,
            port=args.port,
        )
    except OSError as err:
        parser.error(f"can't listen on 127.0.0.1:{args.port}: {err}")
    except ValueError as err:  # InvalidFaultError included: a bad --fault, --count...
        parser.error(str(err))
    print(
        f"demo source: {source.count} IOCs on {source.url} (Ctrl+C stops it)",
        flush=True,
    )
    return serve_until_ctrl_c(source.serve_forever, "demo source")


if __name__ == "__main__":
    sys.exit(main())
