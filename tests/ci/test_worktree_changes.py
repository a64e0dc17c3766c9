"""ci_tools.worktree_changes: what a test run changed in the checkout, for `.ci/run`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ci_tools.worktree_changes import main, new_changes, worktree_status
from tests.benchmarks.git_repository import committed, git


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return committed(
        tmp_path / "repo",
        {
            "README.md": "# readme\n",
            "benchmarks/results.json": "{}\n",
            ".gitignore": "/site/\n",
        },
    )


def test_a_clean_checkout_has_no_entries(repository: Path) -> None:
    (repository / "site").mkdir()
    (repository / "site" / "index.html").write_text("ignored", encoding="utf-8")

    assert worktree_status(repository) == set()


def test_modified_deleted_new_and_renamed_files_are_entries(repository: Path) -> None:
    (repository / "benchmarks" / "results.json").write_text("{1}\n", encoding="utf-8")
    (repository / ".gitignore").unlink()
    (repository / "--junitxml").write_text("<xml/>", encoding="utf-8")
    git(repository, "mv", "README.md", "README.txt")

    assert worktree_status(repository) == {
        " M benchmarks/results.json",
        " D .gitignore",
        "?? --junitxml",
        "R  README.txt",
    }


def test_only_what_changed_after_the_record_counts() -> None:
    before = {" M README.md"}
    after = {" M README.md", "?? report.xml", " M a.py"}

    assert new_changes(before, after) == [" M a.py", "?? report.xml"]


def test_check_passes_when_nothing_changed_since_the_record(
    repository: Path, tmp_path: Path
) -> None:
    (repository / "README.md").write_text("work in progress\n", encoding="utf-8")
    record = tmp_path / "status"

    assert main(["record", str(record)], repository) == 0
    assert main(["check", str(record)], repository) == 0


def test_check_fails_naming_each_file_the_run_changed(
    repository: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "status"
    main(["record", str(record)], repository)
    (repository / "benchmarks" / "results.json").write_text("{2}\n", encoding="utf-8")
    (repository / "--junitxml").write_text("<xml/>", encoding="utf-8")

    assert main(["check", str(record)], repository) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: the test run changed the repository:\n"
        "   M benchmarks/results.json\n"
        "  ?? --junitxml\n"
        "A test must write under its tmp_path"
    )


def test_outside_a_git_checkout_it_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "not-a-clone"
    folder.mkdir()

    assert main(["record", str(tmp_path / "status")], folder) == 2
    assert "error: git status failed in" in capsys.readouterr().err


def test_check_without_a_record_says_what_to_run(
    repository: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "status"

    assert main(["check", str(missing)], repository) == 2
    assert f"error: {missing} does not exist: run 'record {missing}' first" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("argv", [[], ["record"], ["compare", "file"]])
def test_a_wrong_command_line_prints_the_usage(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert "usage: python3 -m ci_tools.worktree_changes record|check FILE" in (
        capsys.readouterr().err
    )
