"""One connector process against a fresh sandbox: how long its run took, how much memory.

The sandbox (demo source and OpenCTI stand-in) runs in this process and the connector in a
child, started through ``benchmarks.peak_rss``, so that the peak memory measured is the
connector's alone: the stand-in keeps every bundle it receives, which for 100,000 IOCs is
hundreds of MiB that are not the connector's.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from connector_sandbox.connector_run import connector_env
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.source import DemoSource

EXAMPLE_CONNECTOR = ("-m", "snippets.example_connector")
# One IOC a minute from 2026-01-01: 100,000 of them were all created by mid-March 2026, so
# the connector's window (import start to now) holds every one.
STEP = timedelta(minutes=1)
# Faults that make the connector skip an IOC and go on. Transient ones (503, 429) are left
# out: their retries wait, and the numbers would measure the backoff, not the connector.
# The source picks ids by hash, and the first matching fault wins: about 9.7% in all.
FAULT_MIX = (("unknown_type", 0.34), ("http_404", 0.33), ("malformed_json", 0.33))
TIMEOUT_SECONDS = 3600


class ConnectorRunError(RuntimeError):
    """The connector process did not end as a benchmark run must (exit code 0)."""


@dataclass(frozen=True)
class ProcessRun:
    """``run_seconds`` is the work's life on the platform: opened to closed by the run."""

    ids: int
    indicators: int
    # The STIX ids the platform received: two variants that do the same work send the same.
    object_ids: frozenset[str] = field(repr=False)
    run_seconds: float
    wall_seconds: float
    peak_rss_mib: float

    @property
    def ids_per_second(self) -> float:
        return self.ids / self.run_seconds


def faults_for(share: float) -> list[dict[str, Any]]:
    """Rate faults on the IOC endpoint hitting about ``share`` of the ids."""
    if share == 0:
        return []
    return [
        {"name": name, "endpoint": "ioc", "rate": round(share * weight, 4)}
        for name, weight in FAULT_MIX
    ]


def run_once(
    count: int,
    *,
    faulty_share: float = 0.0,
    log_level: str = "info",
    python_args: Sequence[str] = EXAMPLE_CONNECTOR,
) -> ProcessRun:
    """Run ``python <python_args>`` once against a source of ``count`` IOCs."""
    token, api_key = secrets.token_hex(16), secrets.token_hex(16)
    connector_id = str(uuid.uuid4())
    with (
        PlatformStandIn(token=token) as platform,
        DemoSource(
            api_key=api_key, count=count, step=STEP, faults=faults_for(faulty_share)
        ) as source,
    ):
        env = connector_env(
            platform_url=platform.url,
            token=token,
            source_url=source.url,
            api_key=api_key,
            connector_id=connector_id,
            CONNECTOR_LOG_LEVEL=log_level,
        )
        exit_code, wall_seconds, peak_kib, output = _run_child(
            [sys.executable, *python_args], env
        )
        if exit_code != 0:
            raise ConnectorRunError(
                f"the connector exited with {exit_code}; its last output:\n{output[-2000:]}"
            )
        works = platform.works(connector_id)
        objects = [
            obj
            for bundle in platform.bundles(connector_id)
            for obj in bundle["objects"]
        ]
    if len(works) != 1 or works[0]["processed_time"] is None:
        raise ConnectorRunError(f"expected one closed work, the platform has {works}")
    work = works[0]
    return ProcessRun(
        ids=count,
        indicators=sum(1 for obj in objects if obj.get("type") == "indicator"),
        object_ids=frozenset(str(obj.get("id")) for obj in objects),
        run_seconds=_seconds_between(work["timestamp"], work["processed_time"]),
        wall_seconds=wall_seconds,
        peak_rss_mib=peak_kib / 1024,
    )


def _run_child(command: list[str], env: dict[str, str]) -> tuple[int, float, int, str]:
    """Exit code, wall time, peak RSS in KiB (of the command alone) and the output's tail."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as folder:
        report = Path(folder) / "peak.json"
        output_file = Path(folder) / "output.log"
        launcher = [sys.executable, "-m", "benchmarks.peak_rss", str(report), "--"]
        with output_file.open("w", encoding="utf-8") as output:
            started = time.perf_counter()
            # A session of its own, so that a hung run can be killed with its launcher.
            process = subprocess.Popen(
                [*launcher, *command],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise ConnectorRunError(
                    f"the connector ran for more than {TIMEOUT_SECONDS} s: killed"
                ) from None
            wall_seconds = time.perf_counter() - started
        tail = output_file.read_text(encoding="utf-8", errors="replace")[-4000:]
        if process.returncode != 0 or not report.exists():
            raise ConnectorRunError(
                f"the launcher exited with {process.returncode}; output:\n{tail}"
            )
        measured = json.loads(report.read_text(encoding="utf-8"))
        return measured["exit_code"], wall_seconds, measured["peak_rss_kib"], tail


def _seconds_between(start: str, end: str) -> float:
    # The stand-in writes OpenCTI's format, 2026-01-01T00:00:00.000Z: millisecond precision.
    parsed = [
        datetime.fromisoformat(stamp.replace("Z", "+00:00")) for stamp in (start, end)
    ]
    return (parsed[1] - parsed[0]).total_seconds()
