"""One demo source per test module, its faults and counters reset for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connector_sandbox.source import DemoSource
from tests.sandbox.source_support import KEY


@pytest.fixture(scope="module")
def running() -> Iterator[DemoSource]:
    with DemoSource(api_key=KEY, seed=7) as started:
        yield started


@pytest.fixture
def source(running: DemoSource) -> DemoSource:
    running.clear_faults()
    running.reset_stats()
    return running
