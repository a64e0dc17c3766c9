"""A PATH on which ``python3`` behaves as Debian 12's does, for running the README's commands.

Debian's python3 is externally managed (PEP 668): ``python3 -m pip install`` fails with
``externally-managed-environment``. The fake refuses pip the same way, makes a virtual
environment whose ``python`` only records what it is asked to run (pip and nox do nothing),
and hands every other call (``-c``, ``-m ci_tools...``) to the real interpreter. Every call
is written to a log, one line each: ``python3 -m venv .venv``, ``venv-python -m nox -s docs``.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

DEBIAN_REFUSAL = "error: externally-managed-environment"

VENV_PYTHON = """#!/bin/bash
printf '%s\\n' "venv-python $*" >> "$FAKE_LOG"
# A test run that writes into the checkout, as the one that left a file named --junitxml.
if [ "$1 $2" = "-m nox" ] && [ -n "${FAKE_NOX_WRITES:-}" ]; then
    echo changed >> "$FAKE_NOX_WRITES"
fi
"""

SYSTEM_PYTHON = f"""#!/bin/bash
if [ "$1 $2" = "-m pip" ]; then
    printf '%s\\n' "python3 $*" >> "$FAKE_LOG"
    echo "{DEBIAN_REFUSAL}" >&2
    exit 1
fi
if [ "$1 $2" = "-m venv" ]; then
    printf '%s\\n' "python3 $*" >> "$FAKE_LOG"
    mkdir -p "$3/bin"
    cp "$(dirname "$0")/venv-python" "$3/bin/python"
    exit 0
fi
exec {shlex.quote(sys.executable)} "$@"
"""

RECORDER = """#!/bin/bash
printf '%s\\n' "$(basename "$0") $*" >> "$FAKE_LOG"
"""


def debian_path(folder: Path) -> Path:
    """A bin folder with the fake python3, and apt-get and sudo that only record."""
    folder.mkdir(parents=True)
    for name, script in {
        "python3": SYSTEM_PYTHON,
        "venv-python": VENV_PYTHON,
        "apt-get": RECORDER,
        "sudo": RECORDER,
    }.items():
        path = folder / name
        path.write_text(script, encoding="utf-8")
        path.chmod(0o755)
    return folder


def debian_env(bin_folder: Path, log: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh Debian shell: the fakes first, then the system's tools.

    No pyenv, no virtual environment of the test run's own on PATH.
    """
    return {
        "PATH": f"{bin_folder}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "FAKE_LOG": str(log),
        **extra,
    }


def calls(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []
