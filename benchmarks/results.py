"""The results file: its schema, how it is read and checked, and how runs are merged into it.

Each measurement carries the run it comes from (``RunInfo``): a ``--quick`` run replaces only
what it measured, so the page can say which number comes from which run.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"
SCHEMA_VERSION: Literal[1] = 1

Mode = Literal["full", "quick"]


class ResultsError(ValueError):
    """The results file is missing, not JSON, or not in the expected shape."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunInfo(_Model):
    """Where and when a number was measured."""

    mode: Mode
    measured_at: str
    cpus: int = Field(ge=1)
    python: str
    system: str

    @classmethod
    def here(cls, mode: Mode) -> RunInfo:
        return cls(
            mode=mode,
            measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
            cpus=os.cpu_count() or 1,
            python=platform.python_version(),
            system=f"{platform.system()} {platform.machine()}",
        )


class ThroughputPoint(_Model):
    """The connector as a process against the sandbox, for one size and fault share."""

    ids: int = Field(ge=1)
    faulty_share: float = Field(ge=0, le=1)
    repeats: int = Field(ge=1)
    skipped: int = Field(ge=0)
    ids_per_second: float = Field(gt=0)
    ids_per_second_runs: list[float]
    peak_rss_mib: float = Field(gt=0)
    peak_rss_mib_runs: list[float]
    run: RunInfo


class Comparison(_Model):
    """Two variants timed alternately in one run; ``ratio`` is candidate / baseline."""

    baseline: str
    candidate: str
    ids: int = Field(ge=1)
    repeats: int = Field(ge=1)
    baseline_seconds: float = Field(gt=0)
    candidate_seconds: float = Field(gt=0)
    baseline_runs: list[float]
    candidate_runs: list[float]
    ratio: float = Field(gt=0)
    goal_ratio: float | None = None
    run: RunInfo


class ProfileShare(_Model):
    category: str
    seconds: float = Field(ge=0)
    share: float = Field(ge=0, le=1)


class HotFunction(_Model):
    function: str
    own_seconds: float = Field(ge=0)


class Profile(_Model):
    """Where one run's time goes, from cProfile in the connector's process."""

    ids: int = Field(ge=1)
    profiled_seconds: float = Field(gt=0)
    shares: list[ProfileShare]
    hottest: list[HotFunction]
    run: RunInfo


class Timing(_Model):
    """A snippet's or a test's time."""

    name: str
    seconds: float = Field(ge=0)


class MaintainerLoop(_Model):
    """The maintainer's commands, timed; ``None`` where the run skipped one."""

    mkdocs_build_cold_seconds: float | None = None
    mkdocs_build_warm_seconds: float | None = None
    snippet_tests_serial_seconds: float | None = None
    snippet_tests_parallel_seconds: float | None = None
    snippet_tests_workers: int = Field(default=2, ge=2)
    per_snippet: list[Timing] = []
    # The first run after ``nox --install-only`` (notebooks run if the code changed since the
    # last build), then the same command again: the warm loop, which the goal is about.
    nox_docs_tests_first_seconds: float | None = None
    nox_docs_tests_seconds: float | None = None
    slowest_tests: list[Timing] = []
    # The warm run's test time by folder of tests/, summed over the workers.
    time_by_folder: list[Timing] = []
    goal_seconds: float = 60.0
    run: RunInfo


class LighthousePage(_Model):
    """One page's Lighthouse scores (0 to 100) and the figures behind its performance."""

    path: str
    performance: int = Field(ge=0, le=100)
    accessibility: int = Field(ge=0, le=100)
    largest_contentful_paint_ms: float = Field(ge=0)
    total_blocking_time_ms: float = Field(ge=0)
    transfer_kib: float = Field(ge=0)


class LighthouseRun(_Model):
    """Lighthouse on a few pages of the built site, served gzipped from this machine."""

    lighthouse_version: str
    form_factor: str
    throttling: str
    pages: list[LighthousePage] = Field(min_length=1)
    performance_goal: int = 95
    accessibility_goal: int = 100
    run: RunInfo


class QuickTier(_Model):
    """What ``nox -s quick`` runs (``pytest -m MARKERS -n auto``), timed twice: the second
    run is the warm loop the goal is about."""

    markers: str
    tests: int = Field(ge=1)
    first_seconds: float = Field(gt=0)
    seconds: float = Field(gt=0)
    # The warm run's slowest tests, as its report (and pytest --durations) times them.
    slowest_tests: list[Timing] = []
    goal_seconds: float = 30.0
    run: RunInfo


class Results(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    throughput: list[ThroughputPoint] = []
    rules_cost: Comparison | None = None
    logging_cost: Comparison | None = None
    profile: Profile | None = None
    maintainer: MaintainerLoop | None = None
    lighthouse: LighthouseRun | None = None
    quick_tier: QuickTier | None = None

    def merged_with(self, newer: Results) -> Results:
        """These results with every measurement ``newer`` has replacing the same one here."""
        points = {(p.ids, p.faulty_share): p for p in self.throughput}
        points.update({(p.ids, p.faulty_share): p for p in newer.throughput})
        return Results(
            throughput=sorted(points.values(), key=lambda p: (p.faulty_share, p.ids)),
            rules_cost=newer.rules_cost or self.rules_cost,
            logging_cost=newer.logging_cost or self.logging_cost,
            profile=newer.profile or self.profile,
            maintainer=newer.maintainer or self.maintainer,
            lighthouse=newer.lighthouse or self.lighthouse,
            quick_tier=newer.quick_tier or self.quick_tier,
        )


def load(path: Path = RESULTS_FILE) -> Results:
    """The results in ``path``; ResultsError says what is wrong with the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ResultsError(
            f"can't read the results file {path}: {err.strerror}"
            " (run `python -m benchmarks run` to create it)"
        ) from err
    try:
        return Results.model_validate_json(text)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}"
            for e in err.errors(include_input=False, include_url=False)[:5]
        )
        raise ResultsError(f"{path} is not a valid results file: {problems}") from err


def save(results: Results, path: Path = RESULTS_FILE) -> None:
    text = json.dumps(results.model_dump(mode="json"), indent=2) + "\n"
    path.write_text(text, encoding="utf-8")


def load_or_empty(path: Path = RESULTS_FILE) -> Results:
    """The results so far, or none on a first run (a bad file still raises)."""
    if not path.exists():
        print(f"no results file at {path} yet: starting a new one", file=sys.stderr)
        return Results()
    return load(path)
