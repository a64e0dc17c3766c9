"""nox -s preview's server: the built site as a static host serves it (site_hooks/preview.py)."""

from __future__ import annotations

import gzip
import http.client
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_hooks.preview import accepts_gzip, main, make_server
from tests.doc_sources import ROOT

PAGE = b"<!doctype html><title>Home</title>" + b"<p>text</p>" * 200
NOT_FOUND = b"<!doctype html><title>404</title>"
SCRIPT = b"console.log('a');\n" * 100
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
SECRET = b"a file beside the site, never to be served"


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "basics" / "small_try").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "index.html").write_bytes(PAGE)
    (root / "404.html").write_bytes(NOT_FOUND)
    (root / "basics" / "small_try" / "index.html").write_bytes(PAGE)
    (root / "assets" / "app.js").write_bytes(SCRIPT)
    (root / "assets" / "logo.png").write_bytes(IMAGE)
    (root / "assets" / "icon.svg").write_bytes(b"<svg></svg>")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    return root


@contextmanager
def serving(root: Path) -> Iterator[int]:
    """The preview server of ``root`` on a free port, in a thread, for the block."""
    server = make_server(root, 0)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def port(site: Path) -> Iterator[int]:
    with serving(site) as free_port:
        yield free_port


def request(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> Response:
    """One request with ``path`` sent as written: http.client doesn't normalise it."""
    with closing(
        http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    ) as connection:
        connection.request(method, path, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, dict(answer.getheaders()), answer.read())


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(port: int) -> None:
    response = request(port, "/", {"Accept-Encoding": "gzip, deflate, br"})

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert int(response.headers["Content-Length"]) == len(response.body) < len(PAGE)
    assert gzip.decompress(response.body) == PAGE


def test_a_page_is_sent_as_is_without_accept_encoding(port: int) -> None:
    response = request(port, "/basics/small_try/")

    assert response.status == 200
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.body == PAGE


def test_gzip_refused_with_q_0_is_not_sent(port: int) -> None:
    response = request(port, "/", {"Accept-Encoding": "gzip;q=0, identity"})

    assert "Content-Encoding" not in response.headers
    assert response.body == PAGE


@pytest.mark.parametrize(
    ("path", "content_type", "encoding"),
    [
        ("/assets/app.js", "text/javascript; charset=utf-8", "gzip"),
        ("/assets/icon.svg", "image/svg+xml; charset=utf-8", "gzip"),
        # Already compressed: a static host sends an image as it is.
        ("/assets/logo.png", "image/png", None),
    ],
)
def test_each_file_has_its_content_type_and_only_text_is_compressed(
    port: int, path: str, content_type: str, encoding: str | None
) -> None:
    response = request(port, path, {"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers.get("Content-Encoding") == encoding


def test_a_missing_file_gets_the_sites_404_page(port: int) -> None:
    response = request(port, "/basics/no_such_rule/")

    assert response.status == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.body == NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/basics/../../secret.txt",
        "/%2E%2E%2F%2E%2E%2Fsecret.txt",
    ],
)
def test_a_path_that_leaves_the_folder_is_not_found(port: int, path: str) -> None:
    response = request(port, path)

    assert response.status == 404
    assert response.body == NOT_FOUND


def test_a_folder_without_its_slash_is_redirected(port: int) -> None:
    """Its page's relative links resolve only from the folder's address."""
    response = request(port, "/basics/small_try")

    assert response.status == 301
    assert response.headers["Location"] == "/basics/small_try/"


def test_an_index_file_named_in_full_is_served(port: int) -> None:
    response = request(port, "/index.html")

    assert response.status == 200
    assert response.body == PAGE


def test_head_sends_the_headers_of_get_and_no_body(port: int) -> None:
    response = request(port, "/", {"Accept-Encoding": "gzip"}, method="HEAD")

    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) == len(gzip.compress(PAGE, mtime=0))
    assert response.body == b""


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("GZIP", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("br, deflate", False),
        ("", False),
    ],
)
def test_accept_encoding_is_read_as_http_defines_it(
    header: str, accepted: bool
) -> None:
    assert accepts_gzip(header) is accepted


def test_a_folder_that_is_not_a_built_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"has no index.html: build the site"):
        make_server(tmp_path, 0)


def test_the_command_says_what_to_do_when_the_site_is_not_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "site")])

    assert exit_info.value.code == 2
    assert "has no index.html: build the site first (nox -s docs)" in (
        capsys.readouterr().err
    )


def test_the_built_site_is_served_compressed(built_site: Path) -> None:
    with serving(built_site) as free_port:
        page = request(free_port, "/basics/small_try/", {"Accept-Encoding": "gzip"})
        missing = request(free_port, "/no-such-page/")

    expected = (built_site / "basics" / "small_try" / "index.html").read_bytes()
    assert gzip.decompress(page.body) == expected
    assert missing.status == 404
    assert missing.body == (built_site / "404.html").read_bytes()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_serves_until_it_is_stopped(
    site: Path, stop: signal.Signals
) -> None:
    """As `nox -s preview` runs it: the address on its first line, Ctrl+C ends it cleanly."""
    command = [sys.executable, "-m", "site_hooks.preview", str(site), "--port", "0"]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as server:
        assert server.stdout is not None
        first_line = server.stdout.readline()
        address = re.fullmatch(
            r"Serving .* on http://127\.0\.0\.1:(\d+)/ \(Ctrl\+C stops\)\n", first_line
        )
        assert address, first_line
        response = request(int(address[1]), "/")
        server.send_signal(stop)
        rest, _ = server.communicate(timeout=30)

    assert response.body == PAGE
    assert server.returncode == 0
    assert rest == "Stopped.\n"
