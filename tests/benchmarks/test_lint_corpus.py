"""The corpus run: what it takes from the repository, how it counts, what it samples, and the
committed results it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.lint_corpus import (
    RESULTS_FILE,
    SAMPLE_PER_CODE,
    connector_of,
    extract,
    safe_relative,
    sample,
    summary,
)
from connector_lint.findings import CHECKS

from .git_repository import committed, git


def test_only_python_and_pyproject_files_are_written_byte_for_byte(
    tmp_path: Path,
) -> None:
    repository = tmp_path / "connectors"
    files = {
        "external-import/a/src/main.py": b"print('\xc3\xa9')\n",
        "external-import/a/pyproject.toml": b"[tool.connector-lint]\n",
        "external-import/a/logo.png": b"\x89PNG",
        "README.md": b"# connectors\n",
    }
    committed(repository, files)
    target = tmp_path / "out"
    assert extract(repository, git(repository, "rev-parse", "HEAD"), target) == 2
    written = {
        p.relative_to(target).as_posix(): p.read_bytes()
        for p in target.rglob("*")
        if p.is_file()
    }
    assert written == {
        name: content
        for name, content in files.items()
        if not name.endswith(("png", "md"))
    }


@pytest.mark.parametrize("path", ["/etc/passwd.py", "a/../../b.py", ""])
def test_a_path_that_would_leave_the_folder_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="is not a path inside the repository"):
        safe_relative(path)


def _finding(path: str, code: str, line: int = 1) -> dict[str, Any]:
    return {
        "path": path,
        "line": line,
        "column": 1,
        "code": code,
        "rule": "ERR-001",
        "message": "m",
    }


def test_counts_and_connectors_affected_per_code() -> None:
    findings = [
        _finding("external-import/a/src/x.py", "OCE006"),
        _finding("external-import/a/src/y.py", "OCE006"),
        _finding("stream/b/main.py", "OCE006"),
    ]
    assert connector_of("stream/b/src/main.py") == "stream/b"
    assert summary(findings) == {
        "OCE006": {"rule": "ERR-001", "findings": 3, "connectors": 2}
    }


def test_the_sample_is_seeded_and_bounded_per_code() -> None:
    findings = [_finding(f"f{n:03}.py", "OCE006", n) for n in range(50)]
    findings += [_finding("g.py", "OCE001")]
    drawn = sample(findings)
    assert sample(findings) == drawn  # the same sample on every run
    assert [f["code"] for f in drawn] == ["OCE001"] + ["OCE006"] * SAMPLE_PER_CODE
    lines = [f["line"] for f in drawn[1:]]
    assert lines == sorted(lines)
    assert lines != list(range(SAMPLE_PER_CODE))  # drawn, not the first ones


def test_the_committed_results_are_whole_and_within_the_speed_goal() -> None:
    results = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    assert results["repository"] == "OpenCTI-Platform/connectors"
    assert results["not_checked"] == 0
    assert set(results["codes"]) <= set(CHECKS)
    assert sum(c["findings"] for c in results["codes"].values()) == results["findings"]
    # The issue's goal: at most half of flake8's time on the same files.
    assert results["ratio_to_flake8"] <= 0.5
    for code, figures in results["codes"].items():
        drawn = [f for f in results["sample"] if f["code"] == code]
        assert len(drawn) == min(SAMPLE_PER_CODE, figures["findings"])
