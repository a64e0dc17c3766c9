"""Check many files, in worker processes when there are enough of them, results in order.

Each file is checked with its own settings (those of its nearest ``pyproject.toml``). A file
that does not parse here, when the run targets a newer Python, is checked by that Python
(``newer_python``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from connector_lint import newer_python
from connector_lint.findings import PARSE_ERROR, Finding
from connector_lint.runner import Settings, check_file

# Below this many files per worker, starting the workers costs more than it saves.
FILES_PER_WORKER = 16
CHUNK = 8


@dataclass(frozen=True)
class Job:
    path: Path
    settings: Settings
    target: tuple[int, int] | None = None  # the Python the file is written for


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def check_job(job: Job) -> list[Finding]:
    findings = check_file(job.path, job.settings)
    if not _syntax_error(findings):
        return findings
    [finding] = findings
    target = job.target
    if target is None or target <= newer_python.RUNNING:
        return [_with_hint(finding)]
    python = newer_python.interpreter(target)
    if python is None:
        return [
            replace(
                finding,
                message=f"{finding.message} (with --target-version "
                f"py{target[0]}{target[1]}, install python{target[0]}.{target[1]} "
                "or newer to check it)",
            )
        ]
    try:
        return newer_python.check_with(
            python, job.path, job.settings.max_try_statements
        )
    except RuntimeError as err:
        return [replace(finding, message=f"{finding.message}; {err}")]


def _syntax_error(findings: list[Finding]) -> bool:
    return (
        len(findings) == 1
        and findings[0].code == PARSE_ERROR
        and "syntax error" in findings[0].message
    )


def _with_hint(finding: Finding) -> Finding:
    newest = newer_python.VERSIONS[-1]
    if newer_python.RUNNING >= newest:
        return finding
    return replace(
        finding,
        message=f"{finding.message} (if it is valid for a newer Python than "
        f"{newer_python.RUNNING[0]}.{newer_python.RUNNING[1]}, give --target-version)",
    )


def check_all(jobs: Sequence[Job], workers: int) -> Iterator[tuple[Job, list[Finding]]]:
    """Each job with its findings, in the order given, as soon as it and those before it
    are done."""
    workers = min(workers, len(jobs) // FILES_PER_WORKER)
    if workers <= 1:
        for job in jobs:
            yield job, check_job(job)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from zip(jobs, pool.map(check_job, jobs, chunksize=CHUNK), strict=True)
