"""The folder the command's tests run in."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, as the current directory, with its own pyproject.toml."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "my-connector"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path
