"""Which files a run checks: the Python files under the given paths, minus the excluded."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

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


def python_files(paths: Sequence[Path], excluded: Exclusions) -> Iterator[Path]:
    """Each file named, and each ``.py`` file under each folder named, once, in order.

    Hidden folders (``.venv``, ``.git``, ``.nox``) and ``SKIPPED_FOLDERS`` are not entered;
    a file named on the command line is checked whatever its suffix, unless excluded.
    """
    seen: set[Path] = set()
    for path in paths:
        found = [path] if path.is_file() else _walk(path, excluded)
        for file in found:
            if file.resolve() not in seen and file not in excluded:
                seen.add(file.resolve())
                yield file


def _walk(folder: Path, excluded: Exclusions) -> Iterator[Path]:
    for current, folders, names in os.walk(folder):
        here = Path(current)
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and here / name not in excluded
        )
        yield from (here / name for name in sorted(names) if name.endswith(".py"))
