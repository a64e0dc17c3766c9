"""Fixtures shared by the test folders, and the list of artifacts a run leaves for people."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.doc_sources import ROOT
from tests.site_build import build_site

# Files tests write for a person to look at (screenshots); ignored by git.
ARTIFACTS = ROOT / "test-artifacts"
_STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as ``nox -s docs`` builds it; once per test process (each xdist worker)."""
    return build_site(tmp_path_factory.mktemp("site"))


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
