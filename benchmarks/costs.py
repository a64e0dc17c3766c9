"""The cost of the rules: two variants timed alternately, in one run, on the same data.

- Error handling: the example connector against ``benchmarks.bare_connector``, the same
  work with no error handling, on clean data, both at CONNECTOR_LOG_LEVEL=info.
- Logging: the example connector at CONNECTOR_LOG_LEVEL=debug against error, clean data.

Each repeat runs both, one after the other, so that drift of the machine hits both alike;
the ratio is of the medians of the runs' durations on the platform (work opened to closed).
"""

from __future__ import annotations

import statistics

from benchmarks.results import Comparison, RunInfo
from benchmarks.sandbox_run import EXAMPLE_CONNECTOR, run_once

BARE_CONNECTOR = ("-m", "benchmarks.bare_connector")
RULES_GOAL_RATIO = 1.03


def rules_cost(ids: int, repeats: int, run: RunInfo) -> Comparison:
    baseline, candidate = [], []
    for _ in range(repeats):
        baseline.append(run_once(ids, python_args=BARE_CONNECTOR).run_seconds)
        candidate.append(run_once(ids, python_args=EXAMPLE_CONNECTOR).run_seconds)
    return _comparison(
        "no error handling (benchmarks/bare_connector.py), INFO",
        "the example connector, INFO",
        ids,
        baseline,
        candidate,
        RULES_GOAL_RATIO,
        run,
    )


def logging_cost(ids: int, repeats: int, run: RunInfo) -> Comparison:
    baseline, candidate = [], []
    for _ in range(repeats):
        baseline.append(run_once(ids, log_level="error").run_seconds)
        candidate.append(run_once(ids, log_level="debug").run_seconds)
    return _comparison(
        "the example connector, CONNECTOR_LOG_LEVEL=error",
        "the example connector, CONNECTOR_LOG_LEVEL=debug",
        ids,
        baseline,
        candidate,
        None,
        run,
    )


def _comparison(
    baseline_name: str,
    candidate_name: str,
    ids: int,
    baseline: list[float],
    candidate: list[float],
    goal_ratio: float | None,
    run: RunInfo,
) -> Comparison:
    baseline_seconds = statistics.median(baseline)
    candidate_seconds = statistics.median(candidate)
    return Comparison(
        baseline=baseline_name,
        candidate=candidate_name,
        ids=ids,
        repeats=len(baseline),
        baseline_seconds=round(baseline_seconds, 3),
        candidate_seconds=round(candidate_seconds, 3),
        baseline_runs=baseline,
        candidate_runs=candidate,
        ratio=round(candidate_seconds / baseline_seconds, 3),
        goal_ratio=goal_ratio,
        run=run,
    )
