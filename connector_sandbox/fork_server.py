"""Start connector processes from a parent that has imported pycti already: a fork server.

``python -m snippets.example_connector`` spends about a second importing pycti (FastAPI,
pydantic, its API client) before it does anything; the fault matrix starts it a hundred
times. A ``ForkServer`` starts one server process, ``python -m connector_sandbox.fork_server
SOCKET MODULE...``, which imports the modules once and then forks a fresh connector process
for each run it is asked for. Each run is still a process of its own: its own pid, its
environment (``os.environ`` replaced by the one given), its working directory, its stdin
(``/dev/null``), stdout and stderr (one pipe, as ``start_connector`` gives), the interpreter's
default signal handlers, and its exit code as the kernel reports it (a negative code when a
signal ended it, as ``subprocess`` says). The child runs the module as ``python -m`` does
(``runpy``, ``sys.path[0]`` the working directory) and ends as the interpreter ends:
``sys.excepthook`` for an uncaught exception, non-daemon threads joined, ``atexit`` handlers
run, the streams flushed, and an uncaught ``KeyboardInterrupt`` ending it by SIGINT.

What a fork cannot give: what the interpreter reads at its start (``PYTHONPATH``,
``PYTHONHASHSEED``, ``PYTHONWARNINGS`` and the other ``PYTHON*`` variables, ``-W``, ``-X``)
is the server's, apart from ``PYTHONUNBUFFERED``, which the child applies to its streams.

The server forks a handler for each request, which forks the connector and reports its exit
status, so the server itself never waits: it only accepts. It ends when the process that
started it closes its stdin, or dies.
"""

from __future__ import annotations

import atexit
import importlib
import io
import json
import os
import runpy
import select
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, NoReturn, Self

CONNECTOR_MODULE = "snippets.example_connector"
# What the example connector imports: everything but its own small modules' code.
CONNECTOR_PRELOAD = ("snippets.example_connector.main",)
READY = "ready"
START_TIMEOUT_SECONDS = 60
_SOCKET_NAME = "fork-server.sock"


class ForkServerError(RuntimeError):
    """The fork server did not start, or broke off a run; the message says how."""


class ForkedProcess:
    """A connector process the fork server started, with what ``Popen`` has of
    ``connector_run.ConnectorProcess``."""

    def __init__(
        self, pid: int, stdout: IO[str], control: socket.socket, args: list[str]
    ) -> None:
        self.pid = pid
        self.stdout: IO[str] | None = stdout
        self.args = args
        self.returncode: int | None = None
        self._control = control
        self._status = b""

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def poll(self) -> int | None:
        return self._wait_status(0)

    def wait(self, timeout: float | None = None) -> int:
        code = self._wait_status(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return code

    def communicate(
        self, input: str | None = None, timeout: float | None = None
    ) -> tuple[str, str | None]:
        """The rest of the output, once the process has ended; as ``Popen``'s, the process
        is left running when ``timeout`` passes first."""
        if input is not None:
            raise ValueError("a forked connector's stdin is /dev/null: give no input")
        deadline = None if timeout is None else time.monotonic() + timeout
        output = self._read_output(timeout)
        remaining = None if deadline is None else max(0, deadline - time.monotonic())
        self.wait(remaining)
        return output, None

    def _read_output(self, timeout: float | None) -> str:
        # The stream's buffer may hold what a reader of its lines has not taken yet, so the
        # rest is read through the stream itself, on a thread the timeout can give up on.
        stream = self.stdout
        if stream is None:
            return ""
        read: list[str] = []
        reader = threading.Thread(
            target=lambda: read.append(stream.read()), daemon=True
        )
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        stream.close()
        self.stdout = None
        return read[0]

    def _wait_status(self, timeout: float | None) -> int | None:
        """The exit code, once the handler has reported it; None if not within timeout."""
        if self.returncode is not None:
            return self.returncode
        self._control.settimeout(timeout)
        try:
            self._receive_status()
        except (TimeoutError, BlockingIOError):  # no status yet: still running
            return None
        status = json.loads(self._status)["status"]
        self.returncode = os.waitstatus_to_exitcode(status)
        self._control.close()
        return self.returncode

    def _receive_status(self) -> None:
        while not self._status.endswith(b"\n"):
            chunk = self._control.recv(64)
            if not chunk:
                raise ForkServerError(
                    f"the fork server's handler of pid {self.pid} ended without "
                    "reporting its exit status"
                )
            self._status += chunk


class ForkServer:
    """One server per test process: ``with ForkServer() as server: server.start(env, cwd)``."""

    def __init__(
        self,
        module: str = CONNECTOR_MODULE,
        preload: Sequence[str] = CONNECTOR_PRELOAD,
        server_env: Mapping[str, str] | None = None,
    ) -> None:
        """``server_env``: the server's environment (this process's by default), where
        the interpreter's own variables such as ``PYTHONPATH`` take effect for every run."""
        self.module = module
        self.preload = tuple(preload)
        self.server_env = dict(server_env) if server_env is not None else None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._server: subprocess.Popen[str] | None = None
        self._started: list[ForkedProcess] = []

    @property
    def socket_path(self) -> Path:
        if self._folder is None:
            raise ForkServerError(
                "the fork server is not running: use it in a with block"
            )
        return Path(self._folder.name) / _SOCKET_NAME

    def __enter__(self) -> Self:
        self._folder = tempfile.TemporaryDirectory(prefix="fork-server-")
        command = [
            sys.executable,
            "-m",
            "connector_sandbox.fork_server",
            str(self.socket_path),
            *self.preload,
        ]
        # A file, not a pipe: what the server or a handler writes there can't block them.
        errors = Path(self._folder.name) / "errors.txt"
        with errors.open("w", encoding="utf-8") as stderr:
            self._server = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=self.server_env,
            )
        self._wait_until_ready(self._server, errors)
        return self

    def _wait_until_ready(self, server: subprocess.Popen[str], errors: Path) -> None:
        assert server.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(server.stdout, selectors.EVENT_READ)
        ready = selector.select(START_TIMEOUT_SECONDS)
        selector.close()
        line = server.stdout.readline().strip() if ready else ""
        if line != READY:
            server.kill()
            server.wait()
            said = errors.read_text(encoding="utf-8").strip()[-2000:]
            self.close()
            raise ForkServerError(
                f"the fork server did not start (preloading {', '.join(self.preload)}):"
                f" {said or 'no output in time'}"
            )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self, env: Mapping[str, str], cwd: Path | None = None) -> ForkedProcess:
        """A new connector process with ``env`` as its environment, in ``cwd``."""
        if self._server is None or self._server.poll() is not None:
            raise ForkServerError(
                "the fork server is not running: use it in a with block"
            )
        read_end, write_end = os.pipe()
        try:
            control, pid = self._request(env, cwd, write_end)
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)  # the connector has its own copy: EOF when it ends
        # Decoded as Popen's text=True decodes: the locale's encoding, strict.
        stdout = io.TextIOWrapper(open(read_end, "rb"))  # noqa: SIM115  # closed by its run
        args = [sys.executable, "-m", self.module]
        process = ForkedProcess(pid, stdout, control, args)
        self._started.append(process)
        return process

    def _request(
        self, env: Mapping[str, str], cwd: Path | None, output: int
    ) -> tuple[socket.socket, int]:
        """Ask for a run writing to ``output``: the connection it reports on, and its pid."""
        control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        request = {
            "module": self.module,
            "env": dict(env),
            "cwd": str(cwd if cwd is not None else Path.cwd()),
        }
        try:
            _send_request(control, self.socket_path, request, output)
        except BaseException:
            control.close()
            raise
        return control, _read_pid(control)

    def close(self) -> None:
        """Kill any run still going, then stop the server."""
        for process in self._started:
            if process.poll() is None:
                process.kill()
                process.wait()
        self._started.clear()
        if self._server is not None:
            if self._server.stdin is not None:
                self._server.stdin.close()  # the server ends when its stdin does
            try:
                self._server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
            if self._server.stdout is not None:
                self._server.stdout.close()
            self._server = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


def _send_request(
    control: socket.socket, path: Path, request: Mapping[str, object], output: int
) -> None:
    with open(os.devnull, "rb") as stdin:
        control.connect(str(path))
        socket.send_fds(control, [b"F"], [stdin.fileno(), output])
    control.sendall(json.dumps(request).encode() + b"\n")


def _read_pid(control: socket.socket) -> int:
    control.settimeout(START_TIMEOUT_SECONDS)
    line = b""
    while not line.endswith(b"\n"):
        chunk = control.recv(1)
        if not chunk:
            raise ForkServerError(
                "the fork server closed the connection before forking"
            )
        line += chunk
    control.settimeout(None)
    pid: int = json.loads(line)["pid"]
    return pid


# region the server side: runs in `python -m connector_sandbox.fork_server`
# The interpreter's exit status when it could not flush its streams at the end.
FLUSH_FAILED = 120
# What `python -m MODULE` calls: runpy's own, so that the run is the interpreter's.
_RUN_AS_MAIN: Callable[[str, bool], None] = getattr(runpy, "_run_module_as_main")  # noqa: B009


def serve(socket_path: str, preload: Sequence[str]) -> None:
    for name in preload:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen()
    # The handlers are reaped by the kernel: the server never waits for one. A Ctrl+C of
    # the test run reaches the server too: the run it started, not the server, answers it.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print(READY, flush=True)
    while True:
        # select, not a selector: no descriptor of its own for the children to inherit.
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable:
            return  # the starter closed our stdin, or died: nothing more to start
        connection, _ = listener.accept()
        if os.fork() == 0:
            try:
                listener.close()
                _handle(connection)
            finally:
                os._exit(1)  # never back into the server's loop, whatever happened
        connection.close()


def _handle(connection: socket.socket) -> None:
    """In the handler: fork the connector, tell its pid, then its exit status."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # so that waitpid sees the connector
    _, fds, _, _ = socket.recv_fds(connection, 1, 2)
    stdin, output = fds
    request = json.loads(connection.makefile("rb").readline())
    pid = os.fork()
    if pid == 0:
        try:
            connection.close()
            _become_the_connector(request, stdin, output)
        finally:
            os._exit(1)  # only if the connector could not even be set up
    os.close(stdin)
    os.close(output)
    connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    connection.sendall(json.dumps({"status": status}).encode() + b"\n")
    os._exit(0)


def _become_the_connector(request: dict[str, object], stdin: int, output: int) -> None:
    os.dup2(stdin, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.close(stdin)
    os.close(output)
    for sig in (signal.SIGTERM, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    env = request["env"]
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update(env)
    cwd = str(request["cwd"])
    os.chdir(cwd)
    sys.path[0] = cwd  # as `python -m` has it
    sys.argv = ["-m"]  # until runpy puts the module's path there, as for `python -m`
    if env.get("PYTHONUNBUFFERED"):
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(write_through=True)  # type: ignore[union-attr]
    _run_as_main(str(request["module"]))


def _run_as_main(module: str) -> NoReturn:
    """Run ``module`` as ``python -m`` does, and end as the interpreter ends."""
    # A fresh __main__ for the module, as a new interpreter has; this module's code runs
    # from its imported copy (see the end of the file), so nothing of it is in the way.
    sys.modules["__main__"] = types.ModuleType("__main__")
    code = 0
    interrupted = False
    try:
        _RUN_AS_MAIN(module, True)
    # The interpreter's own last handlers: each reports what ended the module, and the
    # process ends below, with the code they set.
    except SystemExit as stop:  # connector-lint: ignore[OCE004] it exits below
        code = _exit_code(stop)
    except BaseException as err:  # noqa: BLE001  # connector-lint: ignore[OCE004] idem
        # Without this frame, the traceback is the one `python -m` prints.
        shown = err.with_traceback(err.__traceback__ and err.__traceback__.tb_next)
        sys.excepthook(type(shown), shown, shown.__traceback__)
        interrupted = isinstance(err, KeyboardInterrupt)
        code = 1
    try:
        code = _end(code, interrupted)
    finally:
        os._exit(code)


def _end(code: int, interrupted: bool) -> int:
    """The exit code once the interpreter's end is done; by SIGINT if ``interrupted``."""
    if not _finalize():
        code = FLUSH_FAILED
    if interrupted:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return code


def _exit_code(stop: SystemExit) -> int:
    """The exit code the interpreter gives ``sys.exit(code)``."""
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code & 0xFF
    print(stop.code, file=sys.stderr)
    return 1


def _finalize() -> bool:
    """What the interpreter does at its end: join the threads, run the atexit handlers,
    flush the streams. False if a stream could not be flushed."""
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    flushed = True
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError) as err:
            print(
                f"Exception ignored on flushing {stream}: {err!r}", file=sys.__stderr__
            )
            flushed = False
    return flushed


# endregion


if __name__ == "__main__":
    # From the imported module, not this __main__ copy: a run gets a fresh __main__.
    from connector_sandbox.fork_server import serve as serve_imported

    serve_imported(sys.argv[1], sys.argv[2:])
