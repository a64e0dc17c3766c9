"""Shared fixtures: the demo source over real HTTP and pycti's real logger."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from pycti.utils.opencti_logger import logger as pycti_logger_factory

from connector_sandbox.source import DemoSource

API_KEY = "source-key-0b7e5a"


@pytest.fixture(scope="session")
def app_logger_class() -> Any:
    # pycti configures the root logger (force=True) when the class is made: do it once,
    # before any test's caplog handler is attached.
    return pycti_logger_factory(logging.DEBUG)


@pytest.fixture
def connector_logger(app_logger_class: Any) -> Any:
    return app_logger_class("example-connector-test")


@pytest.fixture
def source() -> Iterator[DemoSource]:
    with DemoSource(api_key=API_KEY, count=20, seed=7) as server:
        yield server


def records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == level]


def attributes(record: logging.LogRecord) -> dict[str, Any]:
    """The structured ``meta`` pycti's logger attached to a record."""
    found: dict[str, Any] = getattr(record, "attributes", {})
    return found
