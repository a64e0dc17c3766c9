"""A throw-away RabbitMQ broker on 127.0.0.1: Debian's ``rabbitmq-server``, its own folders.

pycti's default ``queue_protocol`` is ``amqp``: a connector publishes its bundles to RabbitMQ
and the platform's worker consumes them. The stand-in needs a broker for that path, and
a real one is the only faithful one. Each ``RabbitBroker`` is a node of its own: a fresh data
and log folder, its own Erlang cookie (``HOME``), free ports for AMQP, clustering and epmd,
so brokers of parallel test workers never meet and nothing of the machine's is touched.

``stop()`` ends the node (connections drop, as when RabbitMQ goes down); ``start()`` starts
it again on the same port with the same data.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import pika
import pika.exceptions

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
EPMD = "epmd"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0
# Debian's package; its script under /usr/sbin would switch to the rabbitmq user.
INSTALL_HINT = "install Debian's RabbitMQ: sudo apt-get install -y rabbitmq-server"
USER = "sandbox"
PASSWORD = "sandbox-broker-password"


class BrokerError(RuntimeError):
    """The broker could not be started or stopped; the message says why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def broker_installed() -> bool:
    return SERVER.is_file() and shutil.which(EPMD) is not None


class RabbitBroker:
    """One RabbitMQ node for the sandbox; use it as a context manager."""

    def __init__(self) -> None:
        if not broker_installed():
            raise BrokerError(f"no RabbitMQ server at {SERVER}: {INSTALL_HINT}")
        self._folder = Path(tempfile.mkdtemp(prefix="sandbox-rabbitmq-"))
        self.port = free_port()
        self._dist_port = free_port()
        self._epmd_port = free_port()
        self._node = f"sandbox{os.getpid()}x{self.port}@localhost"
        self._process: subprocess.Popen[bytes] | None = None
        self._write_config()

    @property
    def user(self) -> str:
        return USER

    @property
    def password(self) -> str:
        return PASSWORD

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def parameters(self) -> pika.ConnectionParameters:
        return pika.ConnectionParameters(
            host="127.0.0.1",
            port=self.port,
            credentials=pika.PlainCredentials(USER, PASSWORD),
            connection_attempts=1,
            socket_timeout=5,
        )

    def _write_config(self) -> None:
        # The default user is made at first boot from these lines; the log goes to the
        # console at warning level, which start() keeps in a file of its own.
        config = (
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            f"default_user = {USER}\n"
            f"default_pass = {PASSWORD}\n"
            "log.file = false\n"
            "log.console = true\n"
            "log.console.level = warning\n"
        )
        (self._folder / "rabbitmq.conf").write_text(config, encoding="utf-8")
        (self._folder / "enabled_plugins").write_text("[].\n", encoding="utf-8")

    def _environment(self) -> dict[str, str]:
        folder = str(self._folder)
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": folder,  # the Erlang cookie lives here: one per broker
            "RABBITMQ_NODENAME": self._node,
            "RABBITMQ_CONFIG_FILE": f"{folder}/rabbitmq.conf",
            "RABBITMQ_ENABLED_PLUGINS_FILE": f"{folder}/enabled_plugins",
            "RABBITMQ_MNESIA_BASE": f"{folder}/data",
            "RABBITMQ_LOG_BASE": f"{folder}/log",
            "RABBITMQ_DIST_PORT": str(self._dist_port),
            "ERL_EPMD_PORT": str(self._epmd_port),
        }

    def start(self) -> Self:
        if self.running:
            raise BrokerError(f"the broker already runs on port {self.port}")
        log = (self._folder / "console.log").open("ab")
        try:
            self._process = subprocess.Popen(
                [str(SERVER)],
                env=self._environment(),
                cwd=self._folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        self._wait_until_it_accepts()
        return self

    def _wait_until_it_accepts(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if not self.running:
                raise BrokerError(
                    f"rabbitmq-server exited with {self._exit_code()} before accepting "
                    f"connections: {self.console_tail()}"
                )
            try:
                pika.BlockingConnection(self.parameters()).close()
            except pika.exceptions.AMQPError:
                time.sleep(0.25)
                continue
            return
        self.stop()
        raise BrokerError(
            f"rabbitmq-server did not accept connections on port {self.port} within "
            f"{START_TIMEOUT_SECONDS:.0f} s: {self.console_tail()}"
        )

    def _exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def console_tail(self, lines: int = 5) -> str:
        path = self._folder / "console.log"
        if not path.exists():
            return "(no output)"
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return " | ".join(text[-lines:]) or "(no output)"

    def stop(self) -> None:
        """End the node and its epmd: clients see their connections drop."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT_SECONDS)
        # epmd detaches from the node's session: ask it to go, on its own port.
        subprocess.run(
            [EPMD, "-kill"],
            env={**self._environment()},
            capture_output=True,
            check=False,
            timeout=STOP_TIMEOUT_SECONDS,
        )

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
