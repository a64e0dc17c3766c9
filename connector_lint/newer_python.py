"""Check a file written for a newer Python than the one running, with that Python.

CPython's parser only reads the syntax of its own version: on 3.11, a PEP 701 f-string of
3.12 is a syntax error. With ``--target-version py312``, a file that does not parse here is
checked again by ``python3.12`` (or a newer one) found on ``PATH``: the checker needs nothing
but the standard library, so that interpreter runs this very package.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path

from connector_lint.findings import Finding

VERSIONS = ((3, 11), (3, 12), (3, 13), (3, 14))
RUNNING = sys.version_info[:2]
TIMEOUT_SECONDS = 120
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
# Appended, not prepended: that interpreter's own standard library comes first.
_BOOTSTRAP = """\
import json, sys
sys.path.append(sys.argv[1])
from connector_lint.runner import Settings, check_file
from pathlib import Path
found = check_file(Path(sys.argv[2]), Settings(int(sys.argv[3])))
print(json.dumps([[f.path, f.line, f.col, f.code, f.message] for f in found]))
"""


def parse_version(text: str) -> tuple[int, int]:
    """``py312`` as (3, 12); ValueError naming the versions known."""
    known = {f"py{major}{minor}": (major, minor) for major, minor in VERSIONS}
    if text not in known:
        raise ValueError(
            f"unknown target version {text!r}; choose among {', '.join(known)}"
        )
    return known[text]


def interpreter(target: tuple[int, int]) -> str | None:
    """The first ``python3.X`` on PATH at least as new as ``target`` that runs, if any."""
    for major, minor in VERSIONS:
        if (major, minor) >= target:
            found = shutil.which(f"python{major}.{minor}")
            if found and _is_python(found, (major, minor)):
                return found
    return None


@functools.cache
def _is_python(python: str, version: tuple[int, int]) -> bool:
    """Whether ``python`` starts and is that version: a version manager's shim may be on
    PATH for an interpreter it does not select."""
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.split() == [str(n) for n in version]


def check_with(python: str, path: Path, max_try_statements: int) -> list[Finding]:
    """The findings ``python`` makes on ``path``; RuntimeError if it could not run."""
    try:
        done = subprocess.run(
            [
                python,
                "-c",
                _BOOTSTRAP,
                PACKAGE_PARENT,
                str(path),
                str(max_try_statements),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"{python} could not check it: {err}") from err
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{python} could not check it: {last}")
    try:
        rows = json.loads(done.stdout)
        return [Finding(path.as_posix(), *row[1:]) for row in rows]
    except (ValueError, TypeError) as err:
        raise RuntimeError(f"{python} answered what is not findings: {err}") from err
