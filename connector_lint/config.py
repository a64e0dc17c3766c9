"""The ``[tool.connector-lint]`` table of the nearest ``pyproject.toml``, checked.

    [tool.connector-lint]
    max-try-statements = 3                  # OCE006's limit
    per-file-max-try-statements = {"src/legacy/*.py" = 6}  # OCE006's limit for some files
    docs-url = "https://example.org/rules"  # where the rule pages are published
    exclude = ["tests/fixtures/*"]          # fnmatch patterns, from this file's folder

Every key is optional; an unknown key or a value of the wrong type is an error, so a typo
can't silently switch a setting off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

TABLE = "connector-lint"
PER_FILE_LIMIT = "per-file-max-try-statements"
KEYS = ("max-try-statements", PER_FILE_LIMIT, "docs-url", "exclude")


class ConfigError(Exception):
    """The configuration can't be used as written."""


@dataclass(frozen=True)
class Config:
    root: Path
    source: str = "the defaults"
    max_try_statements: int | None = None
    # (fnmatch pattern, limit), in the order written: the first that matches a file wins.
    per_file_max_try_statements: tuple[tuple[str, int], ...] = ()
    docs_url: str | None = None
    exclude: tuple[str, ...] = ()

    def max_try_statements_of(self, path: Path) -> int | None:
        """OCE006's limit for the file at ``path``: that of the first per-file pattern that
        matches its path from ``root`` or its name (as ruff's per-file-ignores match), else
        ``max_try_statements``."""
        try:
            relative = path.resolve().relative_to(self.root).as_posix()
        except ValueError:  # outside the project: only its name can match
            relative = path.name
        for pattern, limit in self.per_file_max_try_statements:
            if fnmatch(relative, pattern) or fnmatch(path.name, pattern):
                return limit
        return self.max_try_statements


def find_pyproject(start: Path) -> Path | None:
    """``pyproject.toml`` in ``start`` or the nearest folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> Config:
    """The settings for a run started in ``start``; defaults when there is no table."""
    pyproject = find_pyproject(start.resolve())
    if pyproject is None:
        return Config(root=start.resolve())
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{pyproject}: can't be read: {err}") from err
    table = document.get("tool", {}).get(TABLE, {})
    where = f"{pyproject} [tool.{TABLE}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}"
        )
    return Config(
        root=pyproject.parent,
        source=where,
        max_try_statements=_positive_int(table, "max-try-statements", where),
        per_file_max_try_statements=_per_file_limits(table, PER_FILE_LIMIT, where),
        docs_url=_text(table, "docs-url", where),
        exclude=_patterns(table, "exclude", where),
    )


def _positive_int(table: dict[str, Any], key: str, where: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if type(value) is not int or value < 1:
        raise ConfigError(
            f"{where}: {key} must be a whole number of 1 or more, got {value!r}"
        )
    return value


def _per_file_limits(
    table: dict[str, Any], key: str, where: str
) -> tuple[tuple[str, int], ...]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where}: {key} must be a table of file patterns and limits, such as "
            f'{key} = {{"src/legacy/*.py" = 6}}, got {value!r}'
        )
    limits = []
    for pattern, limit in value.items():
        if not pattern.strip("/ "):
            raise ConfigError(f"{where}: {key} has an empty file pattern; name files")
        if type(limit) is not int or limit < 1:
            raise ConfigError(
                f"{where}: {key}[{pattern!r}] must be a whole number of 1 or more, "
                f"got {limit!r}"
            )
        limits.append((pattern.strip("/"), limit))
    return tuple(limits)


def _text(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} must be a non-empty string, got {value!r}")
    return value


def _patterns(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(value)


class Configs:
    """The configuration of each path: its nearest ``pyproject.toml``'s table, as ruff
    reads it, so each connector of a monorepo keeps its own settings. Each file is read
    once per run."""

    def __init__(self) -> None:
        self._by_pyproject: dict[Path | None, Config] = {}
        self._by_folder: dict[Path, Config] = {}

    def of_folder(self, folder: Path) -> Config:
        """ConfigError if the governing table can't be used."""
        folder = folder.resolve()
        config = self._by_folder.get(folder)
        if config is None:
            pyproject = find_pyproject(folder)
            config = self._by_pyproject.get(pyproject)
            if config is None:
                config = load_config(folder)
                self._by_pyproject[pyproject] = config
            self._by_folder[folder] = config
        return config

    def of(self, path: Path) -> Config:
        return self.of_folder(path if path.is_dir() else path.parent)
