"""Serve a built site as a static host serves it: ``python -m site_hooks.preview site``.

``mkdocs serve`` rebuilds pages in memory and serves them uncompressed; a static host (GitHub
Pages, a CDN) serves the files of ``site/``, gzipped for a browser that accepts it, with the
site's ``404.html`` for an address that has no file. ``nox -s preview`` builds the site and
runs this, so what a reader downloads can be checked before it is deployed. It listens on
127.0.0.1 only and never serves a file from outside the folder.
"""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import re
import signal
import socket
import socketserver
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
NOT_FOUND_PAGE = "404.html"
# The weight of a coding in Accept-Encoding: "gzip;q=0.5"; q=0 means "not this one".
QUALITY = re.compile(r"\bq=(?P<value>[01](?:\.\d{0,3})?)\s*$")
# What a static host compresses: text, and the text formats without a text/ type.
COMPRESSIBLE_TYPES = (
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
)
# Where Python's table (or the system's) is missing or wrong for a site's files.
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".ipynb": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".xml": "application/xml",
    ".gz": "application/gzip",
}


def content_type(path: Path) -> str:
    """The Content-Type of a file, with ``charset=utf-8`` for text."""
    kind = CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind in COMPRESSIBLE_TYPES:
        return f"{kind}; charset=utf-8"
    return kind


def is_compressible(kind: str) -> bool:
    media_type = kind.split(";", 1)[0]
    return media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``gzip;q=0`` refuses it)."""
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        quality = QUALITY.search(params)
        return quality is None or float(quality["value"]) > 0
    return False


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that a URL path names, or None: missing, or outside ``root``.

    A folder's file is its ``index.html``, as MkDocs writes pages (``rules/`` ->
    ``rules/index.html``).
    """
    root = root.resolve()
    relative = unquote(url_path).lstrip("/")
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the files of one folder, as a static host answers them."""

    server_version = "site-preview"

    def __init__(
        self,
        request: socket.socket,
        client_address: tuple[str, int],
        server: socketserver.BaseServer,
        *,
        root: Path,
    ) -> None:
        self.root = root
        super().__init__(request, client_address, server)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        url_path = urlsplit(self.path).path
        found = resolve(self.root, url_path)
        asked_for = PurePosixPath(unquote(url_path)).name
        if found is not None and found.name != asked_for and not url_path.endswith("/"):
            # As a static host does: a folder's address ends with a slash, so that its
            # page's relative links resolve.
            self._redirect(f"{url_path}/")
            return
        status = HTTPStatus.OK
        if found is None:
            status = HTTPStatus.NOT_FOUND
            found = resolve(self.root, NOT_FOUND_PAGE)
        if found is None:
            body, kind = b"Not found\n", "text/plain; charset=utf-8"
        else:
            body, kind = found.read_bytes(), content_type(found)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if is_compressible(kind):
            self.send_header("Vary", "Accept-Encoding")
            if accepts_gzip(self.headers.get("Accept-Encoding", "")):
                body = gzip.compress(body, mtime=0)
                self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def make_server(root: Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """A server of ``root`` on 127.0.0.1 (``port`` 0: a free one, read from server_port)."""
    if not (root / "index.html").is_file():
        raise FileNotFoundError(
            f"{root} has no index.html: build the site first (nox -s docs), "
            "or give the folder it was built into"
        )
    return ThreadingHTTPServer((HOST, port), partial(PreviewHandler, root=root))


class _QuietPreviewHandler(PreviewHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The program that reads the site reports what it fetched; the access log is noise."""


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """``root`` served as ``nox -s preview`` serves it, from a thread, on a free port of
    127.0.0.1, for a program that measures the site as deployed; the URL ends with a slash."""
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root} has no index.html: build the site first")
    server = ThreadingHTTPServer((HOST, 0), partial(_QuietPreviewHandler, root=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m site_hooks.preview",
        description="Serve a built site as a static host does: gzip, 404 page.",
    )
    parser.add_argument("folder", type=Path, help="the built site, e.g. site")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    try:
        server = make_server(args.folder, args.port)
    except FileNotFoundError as err:
        parser.exit(2, f"error: {err}\n")
    except OSError as err:
        parser.exit(2, f"error: can't listen on {HOST}:{args.port}: {err.strerror}\n")

    # Ctrl+C and SIGTERM stop the server as it is meant to stop: shutdown() must come from
    # another thread than serve_forever()'s.
    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(
        f"Serving {args.folder} on http://{HOST}:{server.server_port}/ (Ctrl+C stops)",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
