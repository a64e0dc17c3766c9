"""Run the example connector as a real process against the sandbox, and read what it logged.

Shared by ``nox -s demo`` and the end-to-end tests, so both drive the connector the same way
a user does: ``python -m snippets.example_connector`` with settings in the environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

# Settings a run against the sandbox needs beyond the URLs and secrets.
SANDBOX_SETTINGS = {
    "CONNECTOR_NAME": "Example IOC connector",
    "CONNECTOR_RUN_AND_TERMINATE": "true",
    "CONNECTOR_LOG_LEVEL": "info",
    "IOC_SOURCE_IMPORT_START": "2026-01-01T00:00:00Z",
    "IOC_SOURCE_TIMEOUT_SECONDS": "2",
}


@dataclass(frozen=True)
class ConnectorRun:
    """The finished process: its exit code, its log records, and any non-JSON output."""

    exit_code: int
    records: list[dict[str, Any]]
    other_output: list[str] = field(default_factory=list)

    def at(self, level: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("level") == level]

    def with_message(self, message: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("message") == message]


def connector_env(
    *,
    platform_url: str,
    token: str,
    source_url: str,
    api_key: str,
    connector_id: str,
    **overrides: str,
) -> dict[str, str]:
    """The process environment: this one, minus any connector settings, plus the sandbox's."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OPENCTI_", "CONNECTOR_", "IOC_SOURCE_"))
    }
    return {
        **inherited,
        **SANDBOX_SETTINGS,
        "OPENCTI_URL": platform_url,
        "OPENCTI_TOKEN": token,
        "CONNECTOR_ID": connector_id,
        "IOC_SOURCE_URL": source_url,
        "IOC_SOURCE_API_KEY": api_key,
        **overrides,
    }


class ConnectorProcess(Protocol):
    """A started connector: a ``subprocess.Popen``, or a fork server's
    ``connector_sandbox.fork_server.ForkedProcess``."""

    @property
    def stdout(self) -> IO[str] | None: ...
    def send_signal(self, sig: int) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def communicate(
        self, input: str | None = None, timeout: float | None = None
    ) -> tuple[str, str | None]: ...


# Starts the connector with an environment, in a working directory.
Starter = Callable[[dict[str, str], Path | None], ConnectorProcess]


def start_connector(
    env: dict[str, str], cwd: Path | None = None
) -> subprocess.Popen[str]:
    """``cwd`` is where the connector looks for its ``config.yml``."""
    return subprocess.Popen(
        [sys.executable, "-m", "snippets.example_connector"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: ConnectorProcess, timeout: float = 120) -> ConnectorRun:
    output, _ = process.communicate(timeout=timeout)
    return parse_output(process.wait(), output)  # it has ended: wait() is its exit code


def run_connector(
    env: dict[str, str],
    timeout: float = 120,
    cwd: Path | None = None,
    start: Starter = start_connector,
) -> ConnectorRun:
    return finish(start(env, cwd), timeout)


def parse_output(exit_code: int, output: str) -> ConnectorRun:
    """pycti logs one JSON object per line; anything else (a traceback) is kept as text."""
    records: list[dict[str, Any]] = []
    other: list[str] = []
    for line in output.splitlines():
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError:
            other.append(line)
            continue
        if isinstance(parsed, dict):
            records.append(parsed)
        else:
            other.append(line)
    return ConnectorRun(exit_code, records, other)
