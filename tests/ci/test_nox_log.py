"""nox's log of a session holds nothing a user can't act on: no "uv binary not found."."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ci_tools.readme_commands import README

ROOT = README.parent
UV_NOTICE = "uv binary not found."


def run_nox(
    noxfile: Path, envdir: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    # UV names a uv that isn't there, so that nox looks for it and misses on any machine.
    env = {**os.environ, "UV": str(envdir / "no-uv-here"), "NO_COLOR": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "nox",
            "--noxfile",
            str(noxfile),
            "--envdir",
            str(envdir),
        ]
        + list(args),
        cwd=noxfile.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_projects_sessions_do_not_log_the_uv_notice(tmp_path: Path) -> None:
    """lint_corpus without its clone stops at once, once nox has set the session up."""
    result = run_nox(ROOT / "noxfile.py", tmp_path / "envs", "-s", "lint_corpus")

    assert result.returncode == 1
    assert "give a clone of OpenCTI-Platform/connectors" in result.stderr
    assert UV_NOTICE not in result.stderr


def test_a_noxfile_without_the_filter_logs_it(tmp_path: Path) -> None:
    """The check above can fail: this nox, on its own, logs the notice."""
    noxfile = tmp_path / "noxfile.py"
    noxfile.write_text(
        "import nox\n\n\n"
        '@nox.session(venv_backend="none")\n'
        "def plain(session):\n"
        '    session.log("ran")\n',
        encoding="utf-8",
    )

    result = run_nox(noxfile, tmp_path / "envs", "-s", "plain")

    assert result.returncode == 0, result.stderr
    assert UV_NOTICE in result.stderr
