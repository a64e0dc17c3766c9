"""Throughput and peak memory of the connector process, by number of IOCs, clean and faulty."""

from __future__ import annotations

import statistics
from collections.abc import Callable

from benchmarks.results import RunInfo, ThroughputPoint
from benchmarks.sandbox_run import run_once

FAULTY_SHARE = 0.1


def measure_point(
    ids: int, faulty_share: float, repeats: int, run: RunInfo
) -> ThroughputPoint:
    runs = [run_once(ids, faulty_share=faulty_share) for _ in range(repeats)]
    return ThroughputPoint(
        ids=ids,
        faulty_share=faulty_share,
        repeats=repeats,
        skipped=ids - runs[0].indicators,
        ids_per_second=round(statistics.median(r.ids_per_second for r in runs), 1),
        ids_per_second_runs=[round(r.ids_per_second, 1) for r in runs],
        peak_rss_mib=round(statistics.median(r.peak_rss_mib for r in runs), 1),
        peak_rss_mib_runs=[round(r.peak_rss_mib, 1) for r in runs],
        run=run,
    )


def measure(
    repeats_by_size: dict[int, int],
    run: RunInfo,
    report: Callable[[ThroughputPoint], None],
) -> list[ThroughputPoint]:
    """Every size, clean then faulty; ``report`` gets each point as soon as it is measured."""
    points = []
    for ids, repeats in sorted(repeats_by_size.items()):
        for share in (0.0, FAULTY_SHARE):
            point = measure_point(ids, share, repeats, run)
            report(point)
            points.append(point)
    return points


def describe(point: ThroughputPoint) -> str:
    faults = f", {point.skipped} skipped" if point.faulty_share else ", clean"
    return (
        f"{point.ids} IOCs{faults}: {point.ids_per_second:.0f} IOCs/s, "
        f"{point.peak_rss_mib:.0f} MiB peak (median of {point.repeats})"
    )
