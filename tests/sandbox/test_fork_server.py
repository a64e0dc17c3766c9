"""The fork server: a run it forks prints and ends as ``python -m`` would have."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from connector_sandbox.fork_server import ForkServer, ForkServerError
from tests.doc_sources import ROOT

CHILD = "tests.sandbox.fork_child"


# The program is not installed: both ways find it through PYTHONPATH, from any folder.
FINDS_THE_PROGRAM = {"PYTHONPATH": str(ROOT)}


def _fork_server(preload: tuple[str, ...] = ()) -> ForkServer:
    return ForkServer(CHILD, preload, server_env={**os.environ, **FINDS_THE_PROGRAM})


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    with _fork_server() as started:
        yield started


def _environment(mode: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("FORK_")}
    return {**kept, "FORK_CHILD_MODE": mode, "FORK_ONLY_THIS_RUN": "1"}


def _python_m(mode: str, cwd: Path) -> tuple[int, str]:
    env = {**_environment(mode), **FINDS_THE_PROGRAM}
    done = subprocess.run(
        [sys.executable, "-m", CHILD],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout


@pytest.mark.parametrize(
    ("mode", "exit_code"),
    [
        ("", 0),
        ("exit-3", 3),
        ("exit-text", 1),
        ("raise", 1),
        ("keyboard-interrupt", -signal.SIGINT),
        ("sigterm-itself", -signal.SIGTERM),
        ("thread", 0),
    ],
)
def test_a_forked_run_prints_and_exits_as_python_m_does(
    server: ForkServer, tmp_path: Path, mode: str, exit_code: int
) -> None:
    process = server.start(_environment(mode), tmp_path)
    output, _ = process.communicate(timeout=60)
    assert (process.returncode, output) == _python_m(mode, tmp_path)
    assert process.returncode == exit_code
    assert f"working directory: {tmp_path.name}\n" in output
    assert "variables: ['FORK_CHILD_MODE', 'FORK_ONLY_THIS_RUN']\n" in output


def test_the_environment_is_the_run_s_own(server: ForkServer, tmp_path: Path) -> None:
    os.environ["FORK_OF_THE_TEST_PROCESS"] = "not given to the run"
    try:
        process = server.start(
            {"FORK_GIVEN": "1", "PATH": os.environ["PATH"]}, tmp_path
        )
    finally:
        del os.environ["FORK_OF_THE_TEST_PROCESS"]
    output, _ = process.communicate(timeout=60)
    assert "variables: ['FORK_GIVEN']\n" in output
    assert "module name: __main__\n" in output
    assert "argv[0] is this file: True\n" in output
    assert "path[0] is the working directory: True\n" in output


def test_a_signal_reaches_the_run_and_its_exit_code_says_so(
    server: ForkServer, tmp_path: Path
) -> None:
    process = server.start(_environment("wait-for-a-signal"), tmp_path)
    assert process.stdout is not None
    for line in process.stdout:
        if line == "waiting\n":
            break
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGINT
    assert output.splitlines()[-2:] == ["KeyboardInterrupt", "atexit handler ran"]


def test_a_run_past_its_timeout_is_left_running_then_killed(
    server: ForkServer, tmp_path: Path
) -> None:
    process = server.start(_environment("wait-for-a-signal"), tmp_path)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=0.2)
    assert process.poll() is None
    process.kill()
    assert process.wait(timeout=60) == -signal.SIGKILL


def test_runs_are_started_only_inside_the_with_block(tmp_path: Path) -> None:
    unstarted = _fork_server()
    with pytest.raises(ForkServerError, match="not running: use it in a with block"):
        unstarted.start(_environment(""), tmp_path)


def test_a_module_that_fails_to_preload_is_named_with_its_error() -> None:
    with (
        pytest.raises(
            ForkServerError,
            match=r"did not start \(preloading tests\.sandbox\.no_such_module\):"
            r"[\s\S]*No module named 'tests\.sandbox\.no_such_module'",
        ),
        _fork_server(preload=("tests.sandbox.no_such_module",)),
    ):
        pass


def test_leaving_the_block_kills_the_runs_still_going(tmp_path: Path) -> None:
    with _fork_server() as server:
        process = server.start(_environment("wait-for-a-signal"), tmp_path)
    assert process.returncode == -signal.SIGKILL
