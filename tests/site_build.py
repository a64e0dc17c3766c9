"""Build the site once per test run, in the background, for every test that reads it.

The first test process of the run to start (under pytest-xdist, the first worker) starts the
build as a process of its own, ``python -m tests.site_build RUN_FOLDER``, and every process
runs the tests that need no site meanwhile (conftest.py puts those first). A test that needs
the site waits for the build's outcome: the site, or the build's error, the same for every
worker. Building once per worker cost each worker a whole build, on the cores that run the
tests, before its first site test could start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

from site_hooks.build_command import DOCS_ENV, mkdocs_build
from tests.doc_sources import ROOT

# In the run's folder: who started the build, and its outcome once it has one.
BUILD_STARTED = "build-started"
BUILD_DONE = "build-done"
BUILD_FAILED = "build-failed"
# What the build printed (MkDocs logs to stderr), beside the site: tests read it for noise.
BUILD_LOG = "build.log"
# How long a cold build with its notebooks takes is on the Performance page (measured by
# nox -s bench); this bound is for a machine far slower, or far busier, than that one.
BUILD_TIMEOUT_SECONDS = 900
POLL_SECONDS = 0.2


class SiteBuildError(Exception):
    """mkdocs build --strict failed, or never ended; the message says what happened."""


def start_shared_build(run_folder: Path) -> None:
    """Start the build unless another process of this run has started it already."""
    with FileLock(run_folder / "site.lock"):
        started = run_folder / BUILD_STARTED
        if started.exists():
            return
        started.touch()
    command = [sys.executable, "-m", "tests.site_build", str(run_folder)]
    subprocess.Popen(command, cwd=ROOT)


def shared_site(run_folder: Path) -> Path:
    """The site built into ``run_folder/site`` by the run's build, once it has finished."""
    start_shared_build(run_folder)
    deadline = time.monotonic() + BUILD_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if (run_folder / BUILD_DONE).exists():
            return run_folder / "site"
        failed = run_folder / BUILD_FAILED
        if failed.exists():
            raise SiteBuildError(failed.read_text(encoding="utf-8"))
        time.sleep(POLL_SECONDS)
    raise SiteBuildError(
        f"the site build did not finish in {BUILD_TIMEOUT_SECONDS} s; "
        f"its folder: {run_folder}"
    )


def build_site(out: Path) -> Path:
    """Build the site strictly into ``out``, notebooks executed, as ``nox -s docs`` does.

    What the build printed is left in ``BUILD_LOG``, in the folder that holds ``out``.
    """
    result = subprocess.run(
        [sys.executable, "-m", *mkdocs_build(str(out))],
        cwd=ROOT,
        env={**os.environ, **DOCS_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SiteBuildError(
            f"mkdocs build exited with {result.returncode}:\n{result.stderr}"
        )
    (out.parent / BUILD_LOG).write_text(result.stderr, encoding="utf-8")
    return out


def build_and_record(run_folder: Path) -> int:
    """Build into ``run_folder/site`` and leave the outcome for the waiting tests."""
    try:
        build_site(run_folder / "site")
    except SiteBuildError as err:
        (run_folder / BUILD_FAILED).write_text(str(err), encoding="utf-8")
        return 1
    (run_folder / BUILD_DONE).touch()
    return 0


if __name__ == "__main__":
    sys.exit(build_and_record(Path(sys.argv[1])))
