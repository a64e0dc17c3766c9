"""The maintainer's loop, timed: the site build, the snippet tests, and ``nox -s docs tests``.

- Cold build: as on a fresh clone, Python compiles every module (an empty
  ``PYTHONPYCACHEPREFIX``) and the notebooks run (their cache, ``.cache/notebooks``, is
  emptied first). Warm: the same build again, with both caches filled.
- Snippet tests: ``tests/test_snippets.py`` serially, then on ``SNIPPET_WORKERS`` workers;
  the time per snippet comes from the serial run's JUnit report.
- ``nox -R -s docs tests``: what CI runs, in the environments ``nox --install-only`` made,
  once and then again (warm), with its test time by folder from the warm run's report.
- The quick tier (``measure_quick_tier``, in quick runs too): what ``nox -s quick`` runs,
  ``pytest -m QUICK -n auto`` in this environment, twice, with the warm run's slowest tests.

Every command runs with bytecode written, as on a maintainer's machine, even where the
environment of the benchmark says not to (``PYTHONDONTWRITEBYTECODE``).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.results import MaintainerLoop, QuickTier, RunInfo, Timing
from tests.tiers import QUICK

ROOT = Path(__file__).resolve().parent.parent
DOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}
NOTEBOOK_CACHE = ROOT / ".cache" / "notebooks"
SNIPPET_TESTS = "tests/test_snippets.py"
SNIPPET_WORKERS = 2
WARM_BUILDS = 3
SLOWEST = 10
COMPLETE_RESULTS_TEST = (
    "tests/benchmarks/test_results.py::test_committed_results_are_valid_and_complete"
)
# "test_snippet[snippets/basics/small_try/bad.py]" -> the snippet's path.
PARAMETER = re.compile(r"\[(?P<param>[^\]]+)\]$")


class CommandFailedError(RuntimeError):
    """A timed command failed: its time would not be the time of the loop."""


def measure(run: RunInfo) -> MaintainerLoop:
    with tempfile.TemporaryDirectory(prefix="bench-loop-") as folder:
        scratch = Path(folder)
        print("  mkdocs build, cold then warm", flush=True)
        cold = build_site(scratch / "site", cold=True, pycache=scratch / "pycache")
        warm = statistics.median(
            build_site(scratch / "site", cold=False) for _ in range(WARM_BUILDS)
        )
        print("  the snippet tests, serial then parallel", flush=True)
        serial, snippets = snippet_tests(scratch / "serial.xml", workers=None)
        parallel, _ = snippet_tests(scratch / "parallel.xml", workers=SNIPPET_WORKERS)
        print("  nox -s docs tests, twice (minutes each)", flush=True)
        nox_runs = nox_docs_tests(scratch)
    return MaintainerLoop(
        mkdocs_build_cold_seconds=round(cold, 2),
        mkdocs_build_warm_seconds=round(warm, 2),
        snippet_tests_serial_seconds=round(serial, 2),
        snippet_tests_parallel_seconds=round(parallel, 2),
        snippet_tests_workers=SNIPPET_WORKERS,
        per_snippet=snippets,
        nox_docs_tests_first_seconds=round(nox_runs.first_seconds, 1),
        nox_docs_tests_seconds=round(nox_runs.warm_seconds, 1),
        slowest_tests=nox_runs.slowest_tests,
        time_by_folder=nox_runs.time_by_folder,
        run=run,
    )


def measure_quick_tier(run: RunInfo) -> QuickTier:
    """``pytest -m QUICK -n auto`` twice, as ``nox -s quick`` runs it; the second is warm."""
    with tempfile.TemporaryDirectory(prefix="bench-quick-") as folder:
        scratch = Path(folder)
        print("  the quick tier, twice", flush=True)
        first = quick_tier_tests(scratch / "first.xml")
        warm_report = scratch / "warm.xml"
        warm = quick_tier_tests(warm_report)
        tests = len(junit_times(warm_report))
        slowest = slowest_tests(warm_report)
    return QuickTier(
        markers=QUICK,
        tests=tests,
        first_seconds=round(first, 1),
        seconds=round(warm, 1),
        slowest_tests=slowest,
        run=run,
    )


def quick_tier_tests(report: Path) -> float:
    command = [sys.executable, "-m", "pytest", "-m", QUICK, "--numprocesses", "auto"]
    command += ["-q", "--junitxml", str(report), f"--deselect={COMPLETE_RESULTS_TEST}"]
    return _timed(command, {**os.environ, **DOCS_ENV})


def build_site(site_dir: Path, *, cold: bool, pycache: Path | None = None) -> float:
    env = {**os.environ, **DOCS_ENV}
    if cold:
        shutil.rmtree(NOTEBOOK_CACHE, ignore_errors=True)
        if pycache is not None:
            env["PYTHONPYCACHEPREFIX"] = str(pycache)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    return _timed([*command, "--site-dir", str(site_dir)], env)


def snippet_tests(report: Path, workers: int | None) -> tuple[float, list[Timing]]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        SNIPPET_TESTS,
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    command += ["--junitxml", str(report)]
    command += ["--numprocesses", str(workers)] if workers else ["-p", "no:xdist"]
    seconds = _timed(command, {**os.environ, **DOCS_ENV})
    return seconds, per_snippet(report)


def per_snippet(report: Path) -> list[Timing]:
    """Each snippet's time in a JUnit report: its tests' times added, slowest first."""
    totals: defaultdict[str, float] = defaultdict(float)
    for name, case_seconds in junit_times(report):
        match = PARAMETER.search(name)
        if match:
            totals[match["param"]] += case_seconds
    times = [Timing(name=k, seconds=round(v, 3)) for k, v in totals.items()]
    return sorted(times, key=lambda t: -t.seconds)


@dataclass(frozen=True)
class NoxRuns:
    first_seconds: float
    warm_seconds: float
    slowest_tests: list[Timing]
    time_by_folder: list[Timing]


def nox_docs_tests(scratch: Path) -> NoxRuns:
    """Time ``nox -R -s docs tests`` twice, after making sure its environments exist."""
    nox = [sys.executable, "-m", "nox", "--no-color"]
    _timed([*nox, "--install-only", "-s", "docs", "tests"], dict(os.environ))
    # Nothing after `--`, so that the tests session's defaults (its workers) are what is
    # timed; the report and the deselection go through PYTEST_ADDOPTS. The deselected test
    # wants every section in the results file, which this very run is writing.
    command = [*nox, "-R", "-s", "docs", "tests"]
    first = _timed(command, _pytest_addopts(scratch / "first.xml"))
    warm_report = scratch / "warm.xml"
    warm = _timed(command, _pytest_addopts(warm_report))
    return NoxRuns(first, warm, slowest_tests(warm_report), time_by_folder(warm_report))


def _pytest_addopts(report: Path) -> dict[str, str]:
    options = f"--junitxml={report} --deselect={COMPLETE_RESULTS_TEST}"
    return {**os.environ, "PYTEST_ADDOPTS": options}


def slowest_tests(report: Path) -> list[Timing]:
    slowest = sorted(junit_times(report), key=lambda item: -item[1])[:SLOWEST]
    return [Timing(name=n, seconds=round(s, 2)) for n, s in slowest]


def time_by_folder(report: Path) -> list[Timing]:
    """The tests' time summed by folder of ``tests/`` (``tests.browser.test_x`` -> browser)."""
    totals: defaultdict[str, float] = defaultdict(float)
    for name, seconds in junit_times(report):
        module = name.split("::", 1)[0].split(".")
        folder = module[1] if len(module) > 2 else "tests/*.py"
        totals[folder] += seconds
    times = [Timing(name=k, seconds=round(v, 1)) for k, v in totals.items()]
    return sorted(times, key=lambda t: -t.seconds)


def junit_times(report: Path) -> list[tuple[str, float]]:
    """``(classname::name, seconds)`` of every test case in a JUnit XML report."""
    cases = ET.parse(report).getroot().iter("testcase")
    return [
        (
            f"{case.get('classname', '')}::{case.get('name', '')}",
            float(case.get("time", 0)),
        )
        for case in cases
    ]


def _timed(command: list[str], env: dict[str, str]) -> float:
    env = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise CommandFailedError(
            f"{' '.join(command[1:4])}... exited with {result.returncode}:\n{tail}"
        )
    return seconds
