"""Run a ``ThreadingHTTPServer`` in a background thread, for the sandbox's servers, and read
request bodies the one way they all accept them."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

LOOPBACK = "127.0.0.1"


class RequestBodyError(Exception):
    """A request body the server won't read; ``status`` is the 4xx to answer with."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status = status


def read_body(handler: BaseHTTPRequestHandler, limit: int) -> bytes:
    """The request's body, by its Content-Length only, and at most ``limit`` bytes.

    Without Content-Length (a GET) there is no body. Chunked bodies are refused: the
    sandbox's clients (pycti, requests, curl) send a length.
    """
    length = handler.headers.get("Content-Length", "0")
    if "Transfer-Encoding" in handler.headers or not length.isdigit():
        raise RequestBodyError(411, "send the body with a Content-Length")
    if int(length) > limit:
        raise RequestBodyError(413, f"request bodies are limited to {limit} bytes")
    return handler.rfile.read(int(length))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that closes its keep-alive connection when it exits is not an error of
        # the server's: printing a traceback for it would only hide real ones.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class BackgroundServer:
    """An HTTP server on 127.0.0.1 serving from a daemon thread; use it as a context manager.

    ``port=0`` lets the system pick a free port; ``url`` tells which one it got.
    """

    def __init__(
        self, handler: type[BaseHTTPRequestHandler], port: int = 0, *, name: str
    ) -> None:
        self._httpd = _Server((LOOPBACK, port), handler)
        # Handlers reach the object that owns the server through ``self.server.owner``.
        self._httpd.owner = self  # type: ignore[attr-defined]
        # A short poll interval makes stop() quick: tests start and stop many servers.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=name,
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (for ``python -m``)."""
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
