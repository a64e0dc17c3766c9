"""The recall probe: connector-lint's findings against the breaches listed by reading code.

Precision is measured on a sample of findings; recall needs the breaches the checker does
*not* report, which only reading finds. ``lint_corpus_recall.json`` lists every breach of the
rules connector-lint's codes cover in a few connectors read whole, by hand. Which connectors
is not a choice: ``draw`` picks them with a recorded seed among the connectors of typical
size, and ``python -m benchmarks.lint_recall REPOSITORY --rev REV --seed SEED`` prints the
draw for anyone to repeat. The corpus run (``lint_corpus``) checks that the file's connectors
are that draw, and writes, per code, how many of the listed breaches it reports at their
line.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from connector_lint.findings import CHECKS

PROBE_FILE = Path(__file__).with_name("lint_corpus_recall.json")
CATEGORIES = frozenset(
    {
        "external-import",
        "internal-enrichment",
        "internal-export-file",
        "internal-import-file",
        "stream",
    }
)
# A few hundred lines of Python besides the tests: the corpus's lower quartile is about
# 420 lines and its median about 720, so this is a connector of typical size that one
# reading can cover whole.
LINES_READ = range(200, 501)
TEST_FOLDERS = frozenset({"test", "tests"})
GIT_TIMEOUT = 300
NOTE_LENGTH = 200


class ProbeError(ValueError):
    """The probe file can't be used as written; the message says where and why."""


@dataclass(frozen=True)
class Breach:
    path: str
    line: int
    code: str
    note: str


@dataclass(frozen=True)
class Probe:
    commit: str
    seed: int
    count: int
    read: str  # how the connectors were read, and what counts as a breach
    connectors: dict[str, int]  # connector folder: the lines of Python read
    breaches: tuple[Breach, ...]


def probed_connector(path: str) -> str | None:
    """``external-import/abuseipdb/src/x.py`` is read with ``external-import/abuseipdb``;
    None for a file outside a connector, or in its tests."""
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or parts[0] not in CATEGORIES or TEST_FOLDERS & set(parts):
        return None
    return "/".join(parts[:2])


def python_lines(repository: Path, commit: str) -> dict[str, int]:
    """The lines of Python of each connector at ``commit``, its tests left out."""
    # `git grep -c ''` counts each file's lines straight from git's objects.
    listing = subprocess.run(
        ["git", "-C", str(repository), "grep", "-c", "", commit, "--", "*.py"],
        capture_output=True,
        text=True,
        check=True,
        timeout=GIT_TIMEOUT,
    ).stdout
    lines: dict[str, int] = {}
    for entry in listing.splitlines():
        path, _, count = entry.removeprefix(f"{commit}:").rpartition(":")
        connector = probed_connector(path)
        if connector is not None:
            lines[connector] = lines.get(connector, 0) + int(count)
    return lines


def draw(lines: Mapping[str, int], seed: int, count: int) -> dict[str, int]:
    """``count`` connectors of LINES_READ lines, drawn with ``seed``; in name order."""
    candidates = sorted(c for c, n in lines.items() if n in LINES_READ)
    if len(candidates) < count:
        raise ProbeError(
            f"only {len(candidates)} connectors have {LINES_READ.start} to "
            f"{LINES_READ.stop - 1} lines of Python; the probe draws {count}"
        )
    chosen = random.Random(seed).sample(candidates, count)
    return {connector: lines[connector] for connector in sorted(chosen)}


KINDS = {int: "an integer", str: "a string", dict: "an object", list: "a list"}


def _field(entry: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ProbeError(f"{where}: {key!r} must be {KINDS[kind]}, not {value!r}")
    return value


def load_probe(path: Path) -> Probe:
    """The probe file, checked; ProbeError naming the entry and the field that is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ProbeError(f"{path.name} can't be read: {err}") from err
    if not isinstance(document, dict):
        raise ProbeError(f"{path.name} must hold one JSON object, not {document!r}")
    connectors = _field(document, "connectors", dict, path.name)
    for connector, lines in connectors.items():
        folder = probed_connector(f"{connector}/main.py") == connector
        if not folder or not isinstance(lines, int):
            raise ProbeError(
                f"{path.name}: 'connectors' maps each connector's folder (such as "
                f"external-import/abuseipdb) to its lines of Python, not "
                f"{connector!r}: {lines!r}"
            )
    breaches = []
    for number, entry in enumerate(_field(document, "breaches", list, path.name)):
        where = f"{path.name}, breach {number}"
        if not isinstance(entry, dict):
            raise ProbeError(
                f"{where} must be an object with path, line, code and note"
            )
        breach = Breach(
            path=_field(entry, "path", str, where),
            line=_field(entry, "line", int, where),
            code=_field(entry, "code", str, where),
            note=_field(entry, "note", str, where),
        )
        if breach.code not in CHECKS:
            raise ProbeError(
                f"{where}: {breach.code!r} is not a rule's code; use one of "
                f"{', '.join(CHECKS)}"
            )
        if probed_connector(breach.path) not in connectors:
            raise ProbeError(
                f"{where}: {breach.path} is in none of the connectors read "
                f"({', '.join(connectors)})"
            )
        if breach.line < 1 or not 0 < len(breach.note) <= NOTE_LENGTH:
            raise ProbeError(
                f"{where}: the line counts from 1 and the note is one line of at "
                f"most {NOTE_LENGTH} characters"
            )
        breaches.append(breach)
    return Probe(
        commit=_field(document, "commit", str, path.name),
        seed=_field(document, "seed", int, path.name),
        count=_field(document, "count", int, path.name),
        read=_field(document, "read", str, path.name),
        connectors=connectors,
        breaches=tuple(breaches),
    )


def check_drawn(probe: Probe, repository: Path, commit: str) -> None:
    """ProbeError unless the probe read ``commit`` and its connectors are its draw."""
    if probe.commit != commit:
        raise ProbeError(
            f"the recall probe read commit {probe.commit[:12]}, not {commit[:12]}: run at "
            f"--rev {probe.commit}, or read the draw at this commit "
            f"(python -m benchmarks.lint_recall REPOSITORY --rev {commit} --seed SEED)"
        )
    drawn = draw(python_lines(repository, commit), probe.seed, probe.count)
    if drawn != probe.connectors:
        raise ProbeError(
            f"the recall probe's connectors are not the draw of seed {probe.seed} at "
            f"{commit[:12]}: it lists {sorted(probe.connectors.items())}, the draw is "
            f"{sorted(drawn.items())}"
        )


def recall(probe: Probe, findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per code, the listed breaches and how many of them the checker reports.

    A breach is reported when a finding has its path, line and code: a finding of another
    code on that line is the checker seeing something else.
    """
    reported = {(f["path"], f["line"], f["code"]) for f in findings}
    codes: dict[str, dict[str, int]] = {}
    missed = []
    for breach in sorted(probe.breaches, key=lambda b: (b.code, b.path, b.line)):
        figures = codes.setdefault(breach.code, {"listed": 0, "reported": 0})
        figures["listed"] += 1
        if (breach.path, breach.line, breach.code) in reported:
            figures["reported"] += 1
        else:
            missed.append(
                {"path": breach.path, "line": breach.line, "code": breach.code}
            )
    return {
        "seed": probe.seed,
        "connectors": probe.connectors,
        "codes": codes,
        "missed": missed,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lint_recall",
        description="Print the connectors the recall probe reads: the seeded draw.",
    )
    parser.add_argument("repository", type=Path, help="a git clone of the connectors")
    parser.add_argument("--rev", required=True, help="the commit the probe reads")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        drawn = draw(python_lines(args.repository, args.rev), args.seed, args.count)
    except (ProbeError, OSError, subprocess.SubprocessError) as err:
        print(f"lint-recall: error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(drawn, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
