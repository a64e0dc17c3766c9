"""Build the site once per test process, for every test that reads the built pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.doc_sources import ROOT


class SiteBuildError(Exception):
    """mkdocs build --strict failed; the message holds what it printed."""


def build_site(out: Path) -> Path:
    """Build the site strictly into ``out``, notebooks executed, as ``nox -s docs`` does."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SiteBuildError(
            f"mkdocs build exited with {result.returncode}:\n{result.stderr}"
        )
    return out
