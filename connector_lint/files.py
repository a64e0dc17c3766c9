"""Which files a run checks: the Python files under the given paths, minus the excluded."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

from connector_lint.config import Config, Configs

# Folders that hold no code of the project: environments, caches, build output.
SKIPPED_FOLDERS = frozenset({"__pycache__", "venv", "build", "dist", "node_modules"})


class Exclusions:
    """``fnmatch`` patterns, matched against paths relative to ``root`` (``*`` matches
    ``/`` too); a folder that matches excludes everything in it."""

    def __init__(self, root: Path, patterns: Sequence[str]) -> None:
        self.root = root.resolve()
        self.patterns = [pattern.strip("/") for pattern in patterns]

    def __contains__(self, path: Path) -> bool:
        try:
            relative = path.resolve().relative_to(self.root)
        except ValueError:  # outside the project: no pattern of its speaks of it
            return False
        candidates = [relative, *relative.parents][:-1]  # the last parent is "."
        return any(
            fnmatch(candidate.as_posix(), pattern)
            for candidate in candidates
            for pattern in self.patterns
        )


def excluded(path: Path, configs: Configs) -> Config | None:
    """The configuration that excludes ``path``, if one does: its nearest ``pyproject.toml``'s."""
    config = configs.of(path)
    return config if path in Exclusions(config.root, config.exclude) else None


def python_files(
    paths: Sequence[Path], configs: Configs, skipped: Callable[[Path, str], None]
) -> Iterator[Path]:
    """Each file named, and each ``.py`` file under each folder named, once, in order.

    Hidden folders (``.venv``, ``.git``, ``.nox``) and ``SKIPPED_FOLDERS`` are not entered;
    a file named on the command line is checked whatever its suffix, unless excluded.
    What is not a regular file (a FIFO, a socket, a device) is never opened: ``skipped``
    is told its path and why.
    """
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found: Iterable[Path] = _walk(path, configs, skipped)
        elif path.is_file():
            found = [path]
        else:
            skipped(path, _kind(path))
            continue
        for file in found:
            if file.resolve() not in seen and excluded(file, configs) is None:
                seen.add(file.resolve())
                yield file


def _kind(path: Path) -> str:
    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def _walk(
    folder: Path, configs: Configs, skipped: Callable[[Path, str], None]
) -> Iterator[Path]:
    for current, folders, names in os.walk(folder):
        here = Path(current)
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and excluded(here / name, configs) is None
        )
        for name in sorted(names):
            path = here / name
            if not name.endswith(".py"):
                continue
            if path.is_file():
                yield path
            elif path.exists():  # a FIFO named *.py would block the first read
                skipped(path, _kind(path))
            else:
                skipped(path, "a symbolic link to nothing")
