"""Fixtures shared by the test folders, and the list of artifacts a run leaves for people."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from connector_sandbox.broker import RabbitBroker
from connector_sandbox.fork_server import ForkServer
from tests.doc_sources import ROOT
from tests.site_build import shared_site, start_shared_build
from tests.tiers import tiers_of

# Files tests write for a person to look at (screenshots); ignored by git.
ARTIFACTS = ROOT / "test-artifacts"
_STARTED = pytest.StashKey[float]()
SITE_FIXTURE = "built_site"


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    # Each xdist worker has a folder of its own under the run's: the run's is shared.
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _needs_the_site(item: pytest.Item) -> bool:
    return SITE_FIXTURE in getattr(item, "fixturenames", ())


TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test gets the markers of its tier (tests/tiers.py); the tests that read the
    built site go last, so the others run while it builds."""
    for item in items:
        path = PurePosixPath(item.path.resolve().relative_to(TESTS).as_posix())
        fixtures = tuple(getattr(item, "fixturenames", ()))
        for tier in sorted(tiers_of(path, item.name, fixtures)):
            item.add_marker(tier)
    items.sort(key=_needs_the_site)


@pytest.fixture(scope="session", autouse=True)
def _site_build_in_background(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if any(_needs_the_site(item) for item in request.session.items):
        start_shared_build(_run_folder(tmp_path_factory))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as ``nox -s docs`` builds it; once per run, shared by the xdist workers."""
    return shared_site(_run_folder(tmp_path_factory))


@pytest.fixture(scope="session")
def rabbit_broker() -> Iterator[RabbitBroker]:
    """A RabbitMQ of the test run's own (one per xdist worker), for the amqp protocol.

    Debian's rabbitmq-server must be installed (.ci/run installs it): without it the
    tests that need it fail and say how to install it.
    """
    with RabbitBroker() as broker:
        yield broker


@pytest.fixture(scope="session")
def fork_server() -> Iterator[ForkServer]:
    """Starts the example connector as a process forked from one that has imported pycti
    (one per xdist worker): each run is its own process without a second of imports."""
    with ForkServer() as server:
        yield server


@pytest.fixture(scope="session")
def artifacts_folder() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STARTED] = time.time()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Name the artifacts this run wrote; under xdist the workers' output is not shown."""
    started = config.stash.get(_STARTED, None)
    if started is None or not ARTIFACTS.is_dir():
        return
    written = sorted(
        path
        for path in ARTIFACTS.rglob("*")
        if path.is_file() and path.stat().st_mtime >= started
    )
    if written:
        terminalreporter.write_sep("-", "test artifacts")
        for path in written:
            terminalreporter.write_line(path.relative_to(ROOT).as_posix())
