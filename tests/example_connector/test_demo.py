"""`nox -s demo` runs this module: its summary is what a first-time user reads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.doc_sources import ROOT


@pytest.mark.parametrize("protocol", ["api", "amqp"])
def test_demo_ingests_the_seeded_iocs_and_skips_the_faulty_ones(protocol: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "connector_sandbox.demo", "--protocol", protocol],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "Connector exit code: 0" in lines
    assert "IOCs seen: 20, ingested: 17" in lines
    assert "Skipped: 3" in lines
    skipped = [line.split()[0] for line in lines if line.startswith("  ioc-")]
    assert skipped == ["ioc-0004", "ioc-0007", "ioc-0011"]
    assert "Work 'Example IOC connector run': status=complete, in_error=False" in lines
    assert (
        "  messages: ['17 of 20 IOCs ingested; 3 skipped "
        "(2 DataRetrievalError, 1 UnsupportedTypeError)']" in lines
    )
    assert not any("SECRET LEAKED" in line for line in lines)
    over_amqp = any(
        line.startswith("Bundles over amqp, through RabbitMQ") for line in lines
    )
    assert over_amqp is (protocol == "amqp")
