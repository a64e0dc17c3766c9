"""Fail a CI run whose tests changed the repository: a tracked file modified or deleted, or
a file git does not ignore created.

A test that writes into the checkout (a results file rewritten, a report written to a file
named after a command-line option) changes what the next commit holds without anyone
deciding it. `.ci/run` records ``git status`` before the tests and checks it after:

    python3 -m ci_tools.worktree_changes record FILE   # before
    python3 -m ci_tools.worktree_changes check FILE    # after: exit 1 naming the files

Only the changes made in between count, so a run on a checkout with work in progress
checks the tests, not the work.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class WorktreeError(Exception):
    """git could not say what the worktree holds; the message says why."""


def worktree_status(repository: Path) -> set[str]:
    """``git status --porcelain`` entries (``" M README.md"``, ``"?? new.txt"``)."""
    command = ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"]
    try:
        result = subprocess.run(
            command, cwd=repository, capture_output=True, check=True, text=True
        )
    except FileNotFoundError as err:
        raise WorktreeError("git is not installed: apt-get install -y git") from err
    except subprocess.CalledProcessError as err:
        raise WorktreeError(
            f"git status failed in {repository}: {err.stderr.strip()} "
            "(CI runs on a git clone of the repository)"
        ) from err
    entries: set[str] = set()
    fields = iter(result.stdout.split("\0"))
    for entry in fields:
        if not entry:
            continue
        entries.add(entry)
        if entry[0] in "RC":
            next(fields)  # a rename's or copy's second field: the path it came from
    return entries


def new_changes(before: set[str], after: set[str]) -> list[str]:
    """The entries of ``after`` that ``before`` did not have, sorted."""
    return sorted(after - before)


def report(changes: list[str]) -> str:
    listed = "\n".join(f"  {entry}" for entry in changes)
    return (
        "error: the test run changed the repository:\n"
        f"{listed}\n"
        "A test must write under its tmp_path (or a folder .gitignore lists), never into "
        "the checkout. Find the test that writes the file, fix it, then restore the file "
        "(git checkout -- PATH) or delete it."
    )


def main(argv: list[str], repository: Path | None = None) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "check"):
        print(
            "usage: python3 -m ci_tools.worktree_changes record|check FILE",
            file=sys.stderr,
        )
        return 2
    action, record = argv[0], Path(argv[1])
    try:
        status = worktree_status(repository or Path.cwd())
    except WorktreeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if action == "record":
        record.write_text("".join(f"{entry}\0" for entry in sorted(status)))
        return 0
    if not record.is_file():
        print(
            f"error: {record} does not exist: run 'record {record}' first",
            file=sys.stderr,
        )
        return 2
    before = set(filter(None, record.read_text().split("\0")))
    changes = new_changes(before, status)
    if changes:
        print(report(changes), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
