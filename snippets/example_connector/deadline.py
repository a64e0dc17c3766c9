"""One deadline for a whole HTTP request: connecting, sending, the status line, the headers,
the body, its chunk framing and its trailers.

requests' ``timeout`` bounds each read from the socket, not the request: a server that sends
one byte every few seconds, of any part of its answer, never trips it, and urllib3 has no
total deadline for reads either. So a request runs under a ``Watchdog``: a timer that, when
the deadline passes, shuts down the sockets the request uses. The read blocked on one of them
returns at once, and the caller, seeing ``watchdog.expired``, reports the deadline instead of
the broken connection it causes. Nothing the server sends can delay that: the timer runs on a
thread of its own.

The sockets are found by the connection classes of ``DeadlineAdapter``: a socket is watched
when it is opened (before a TLS handshake) and every time a request is sent on it, since a
kept-alive connection serves several requests.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager


class Watchdog:
    """Shuts down the sockets it watches once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # A socket already closed has nothing blocked on it.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_CURRENT: ContextVar[Watchdog | None] = ContextVar("deadline_watchdog", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[Watchdog]:
    """Every socket a ``DeadlineAdapter`` uses in this block is shut after ``seconds``."""
    watchdog = Watchdog(seconds)
    token = _CURRENT.set(watchdog)
    watchdog.start()
    try:
        yield watchdog
    finally:
        watchdog.stop()
        _CURRENT.reset(token)


def _watch(sock: socket.socket | None) -> None:
    watchdog = _CURRENT.get()
    if watchdog is not None and sock is not None:
        watchdog.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)  # before anything is read from it, a TLS handshake included
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)  # a kept-alive connection: opened by an earlier request
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections a ``deadline()`` can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = WATCHED_POOLS
        return manager
