"""Small git repositories for the tests of what reads the public connectors' repository."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path


def git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def committed(repository: Path, files: Mapping[str, str | bytes]) -> Path:
    """A new repository holding ``files`` (path: content) in one commit."""
    for name, content in files.items():
        path = repository / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    repository.parent.mkdir(parents=True, exist_ok=True)
    git(repository.parent, "init", "-q", str(repository))
    git(repository, "add", ".")
    git(
        repository,
        *("-c", "user.name=t", "-c", "user.email=t@example.com"),
        *("commit", "-q", "-m", "layout"),
    )
    return repository
