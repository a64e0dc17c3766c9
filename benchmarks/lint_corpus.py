"""``python -m benchmarks.lint_corpus REPOSITORY [--rev REV]``: connector-lint over the public
OpenCTI connectors, measured, into ``benchmarks/lint_corpus.json``.

REPOSITORY is a git directory of ``OpenCTI-Platform/connectors`` (a clone or a bare mirror).
Its Python files and ``pyproject.toml`` files at REV are written to a temporary folder (from
git's objects, one by one: a mirror may lack the blobs of images), then connector-lint runs
over them as CI would (``--target-version py312``, the connectors' images' Python, two
workers), and flake8 runs over the same files with ``-j 2``, the yardstick of speed. The
results hold the commit, the counts per code, the connectors each code affects, both times
and their ratio, a seeded random sample of findings per code to judge by reading the code
(``lint_corpus_judgements.json``), and each code's recall on the breaches listed by reading
a few drawn connectors whole (``lint_corpus_recall.json``, see ``lint_recall.py``). No code
of the corpus is kept: paths, lines and figures.

Exit codes: 0 the results were written, 2 they could not be made (the reason on one line).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from benchmarks.lint_recall import (
    PROBE_FILE,
    ProbeError,
    check_drawn,
    load_probe,
    recall,
)
from benchmarks.template_check import (
    REPOSITORY,
    TemplateCheckError,
    commit_of,
    write_results,
)

RESULTS_FILE = Path(__file__).with_name("lint_corpus.json")
WORKERS = 2
TARGET = "py312"
SAMPLE_PER_CODE = 10
SEED = 20260821
TIMEOUT = 1800
TEMPLATE_FOLDER = "templates/external-import/"


class CorpusError(Exception):
    """The results could not be made; the message says why."""


def progress(message: str) -> None:
    print(f"lint-corpus: {message}", file=sys.stderr, flush=True)


def wanted(path: str) -> bool:
    return path.endswith(".py") or PurePosixPath(path).name == "pyproject.toml"


def safe_relative(path: str) -> PurePosixPath:
    """A path of the tree as a relative path inside the target; ValueError if it leaves."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"{path!r} is not a path inside the repository")
    return relative


def extract(repository: Path, sha: str, target: Path) -> int:
    """The tree's Python and pyproject.toml files into target; how many were written."""
    listing = subprocess.run(
        ["git", "-C", str(repository), "ls-tree", "-r", "-z", sha],
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
    ).stdout.split(b"\0")
    blobs = []
    for entry in filter(None, listing):
        meta, _, name = entry.partition(b"\t")
        mode, kind, object_id = meta.split()
        path = name.decode("utf-8", errors="surrogateescape")
        if kind == b"blob" and mode != b"120000" and wanted(path):
            blobs.append((object_id.decode(), safe_relative(path)))
    with subprocess.Popen(
        ["git", "-C", str(repository), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as batch:
        if batch.stdin is None or batch.stdout is None:
            raise RuntimeError("git cat-file's streams are piped")
        for blob, relative in blobs:
            batch.stdin.write(f"{blob}\n".encode())
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if header[1:2] == [b"missing"]:
                raise CorpusError(f"the repository lacks {relative} ({blob})")
            content = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after each object
            destination = target.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
        batch.stdin.close()
    return len(blobs)


def timed(
    command: Sequence[str], cwd: Path
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    return time.perf_counter() - started, done


def connector_of(path: str) -> str:
    """``external-import/abuseipdb/src/x.py`` belongs to ``external-import/abuseipdb``."""
    return "/".join(PurePosixPath(path).parts[:2])


def summary(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    counts = Counter(f["code"] for f in findings)
    connectors: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        connectors[finding["code"]].add(connector_of(finding["path"]))
    return {
        code: {
            "rule": next(f["rule"] for f in findings if f["code"] == code),
            "findings": counts[code],
            "connectors": len(connectors[code]),
        }
        for code in sorted(counts)
    }


def sample(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """SAMPLE_PER_CODE findings of each code, drawn with a fixed seed, to judge by hand.

    Each code draws with a generator of its own, so that changing one check leaves the
    other codes' samples, and their judgements, as they are.
    """
    drawn = []
    for code in sorted({f["code"] for f in findings}):
        of_code = sorted(
            (f for f in findings if f["code"] == code),
            key=lambda f: (f["path"], f["line"], f["column"]),
        )
        chooser = random.Random(f"{SEED}:{code}")
        chosen = chooser.sample(of_code, min(SAMPLE_PER_CODE, len(of_code)))
        drawn += [
            {
                "path": f["path"],
                "line": f["line"],
                "code": code,
                "message": f["message"],
            }
            for f in sorted(chosen, key=lambda f: (f["path"], f["line"]))
        ]
    return drawn


def make_results(repository: Path, rev: str) -> dict[str, Any]:
    try:
        sha, date = commit_of(repository, rev)
    except TemplateCheckError as err:
        raise CorpusError(str(err)) from err
    progress(f"{REPOSITORY} at {sha[:12]} ({date})")
    # Before the long run: a probe that doesn't fit this commit would waste it.
    try:
        probe = load_probe(PROBE_FILE)
        check_drawn(probe, repository, sha)
    except ProbeError as err:
        raise CorpusError(str(err)) from err
    with tempfile.TemporaryDirectory(prefix="lint-corpus-") as folder:
        checkout = Path(folder)
        written = extract(repository, sha, checkout)
        progress(f"{written} files written; connector-lint with {WORKERS} workers")
        lint_seconds, lint = timed(
            [
                *(sys.executable, "-m", "connector_lint", "--output-format", "json"),
                *("--target-version", TARGET, "--jobs", str(WORKERS), "."),
            ],
            checkout,
        )
        if lint.returncode not in (0, 1):
            raise CorpusError(f"connector-lint exited {lint.returncode}: {lint.stderr}")
        document = json.loads(lint.stdout)
        progress(f"connector-lint: {lint_seconds:.1f} s; flake8 -j {WORKERS}")
        flake8_seconds, flake8 = timed(
            [sys.executable, "-m", "flake8", "-j", str(WORKERS), "--exit-zero", "."],
            checkout,
        )
        if flake8.returncode != 0:
            raise CorpusError(f"flake8 exited {flake8.returncode}: {flake8.stderr}")
    findings = document["findings"]
    return {
        "repository": REPOSITORY,
        "commit": sha,
        "commit_date": date,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "cpus": len(os.sched_getaffinity(0)),
        "command": f"connector-lint --target-version {TARGET} --jobs {WORKERS} .",
        "files_checked": document["files_checked"],
        "not_checked": len(document["not_checked"]),
        "findings": len(findings),
        "codes": summary(findings),
        "seconds": {
            "connector-lint": round(lint_seconds, 2),
            "flake8": round(flake8_seconds, 2),
        },
        "ratio_to_flake8": round(lint_seconds / flake8_seconds, 3),
        "sample": sample(findings),
        # The breaches listed by reading a few drawn connectors whole, and which of them
        # the checker reports: the recall that the sample's precision can't show.
        "recall": recall(probe, findings),
        # OpenCTI's connector template, where most connectors start: every finding.
        "template": [
            {"path": f["path"], "line": f["line"], "code": f["code"]}
            for f in findings
            if f["path"].startswith(TEMPLATE_FOLDER)
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lint_corpus",
        description="Run connector-lint over the public OpenCTI connectors and write "
        "the measured results.",
    )
    parser.add_argument("repository", type=Path, help=f"a git clone of {REPOSITORY}")
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE)
    args = parser.parse_args(argv)
    try:
        write_results(args.output, make_results(args.repository, args.rev))
    except (CorpusError, OSError, ValueError, subprocess.SubprocessError) as err:
        progress(f"error: {err}")
        return 2
    progress(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
