"""The Performance page's generated part: tables and verdicts from the results file.

``site_hooks/performance.py`` puts it in ``docs/performance.md`` at build time, with the chart
of ``benchmarks.chart``; every number on the page comes from here, so from the file.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.results import (
    Comparison,
    LighthouseRun,
    MaintainerLoop,
    Profile,
    QuickTier,
    Results,
    RunInfo,
    ThroughputPoint,
    Timing,
)

CHART_PATH = "assets/performance/throughput.svg"
# Memory "does not grow" when the largest run's peak is within this share of the smallest's.
MEMORY_GROWTH_LIMIT = 0.10
NOT_MEASURED = "Not measured yet: run `nox -s bench`."


def page_markdown(results: Results, chart_path: str = CHART_PATH) -> str:
    sections = [
        "## Goals\n\n" + goals_table(results),
        "## Throughput and memory\n\n"
        + throughput_section(results.throughput, chart_path),
        "## The cost of the rules\n\n"
        + comparison_section([results.rules_cost, results.logging_cost]),
        "## Where the time goes\n\n" + profile_section(results.profile),
        "## The maintainer loop\n\n" + maintainer_section(results.maintainer),
        "## Page speed (Lighthouse)\n\n" + lighthouse_section(results.lighthouse),
        "## The quick tier\n\n" + quick_tier_section(results.quick_tier),
    ]
    return "\n\n".join(sections) + "\n"


def measured_in(run: RunInfo) -> str:
    return (
        f"*Measured by the {run.mode} run of {run.measured_at} "
        f"({run.cpus} CPUs, {run.system}, Python {run.python}).*"
    )


def goals_table(results: Results) -> str:
    rows = [_memory_goal(results.throughput), _rules_goal(results.rules_cost)]
    rows.append(_loop_goal(results.maintainer))
    rows += _lighthouse_goals(results.lighthouse)
    rows.append(_quick_goal(results.quick_tier))
    header = "| Goal | Measured | Met |\n| --- | --- | --- |\n"
    return header + "\n".join(
        f"| {goal} | {measured} | {met} |" for goal, measured, met in rows
    )


# Where the page explains a goal that is not met.
MEMORY_WHY = "#what-grows-with-the-number-of-iocs"
RULES_WHY = "#what-the-error-handling-costs-and-why"
LOOP_WHY = "#what-the-maintainer-loop-changed-and-what-dominates-it"
SPEED_WHY = "#what-weighs-on-a-page"
QUICK_WHY = "#what-the-quick-tier-spends-its-time-on"


def _verdict(met: bool | None, why: str | None = None) -> str:
    if met is False and why is not None:
        return f"**no**: [why]({why})"
    return {True: "**yes**", False: "**no**", None: "not measured"}[met]


def _memory_goal(points: Sequence[ThroughputPoint]) -> tuple[str, str, str]:
    goal = (
        "Peak memory does not grow with the number of IOCs (largest run within "
        f"{MEMORY_GROWTH_LIMIT:.0%} of the smallest, clean data)"
    )
    clean = sorted((p for p in points if p.faulty_share == 0), key=lambda p: p.ids)
    if len(clean) < 2:
        return goal, NOT_MEASURED, _verdict(None)
    small, large = clean[0], clean[-1]
    growth = large.peak_rss_mib / small.peak_rss_mib - 1
    per_ioc = (
        (large.peak_rss_mib - small.peak_rss_mib) * 2**20 / (large.ids - small.ids)
    )
    measured = (
        f"{small.peak_rss_mib:.1f} MiB for {small.ids:,} IOCs, "
        f"{large.peak_rss_mib:.1f} MiB for {large.ids:,} ({growth:+.1%}, "
        f"{per_ioc:.0f} bytes per additional IOC)"
    )
    return goal, measured, _verdict(growth <= MEMORY_GROWTH_LIMIT, MEMORY_WHY)


def _rules_goal(cost: Comparison | None) -> tuple[str, str, str]:
    goal = "The error handling costs at most 3% (example connector / no handling)"
    if cost is None or cost.goal_ratio is None:
        return goal, NOT_MEASURED, _verdict(None)
    measured = f"ratio {cost.ratio:.3f} ({cost.ratio - 1:+.1%}), {cost.ids:,} IOCs"
    return goal, measured, _verdict(cost.ratio <= cost.goal_ratio, RULES_WHY)


def _loop_goal(loop: MaintainerLoop | None) -> tuple[str, str, str]:
    goal = "`nox -s docs tests` under 60 s, warm, environments reused (`-R`)"
    if loop is None or loop.nox_docs_tests_seconds is None:
        return goal, NOT_MEASURED, _verdict(None)
    measured = f"{loop.nox_docs_tests_seconds:.0f} s on {loop.run.cpus} CPUs"
    return (
        goal,
        measured,
        _verdict(loop.nox_docs_tests_seconds < loop.goal_seconds, LOOP_WHY),
    )


def _lighthouse_goals(scores: LighthouseRun | None) -> list[tuple[str, str, str]]:
    """A goal row for each Lighthouse category, met when its lowest page meets it."""
    rows = []
    # The page explains what holds the performance score back; accessibility has no such part.
    for category, why in (("performance", SPEED_WHY), ("accessibility", None)):
        field = f"{category}_goal"
        target: int = (
            LighthouseRun.model_fields[field].default
            if scores is None
            else getattr(scores, field)
        )
        goal = (
            f"Lighthouse {category} at least {target} on every page measured (mobile)"
        )
        if scores is None:
            rows.append((goal, NOT_MEASURED, _verdict(None)))
            continue
        lowest = min(scores.pages, key=lambda page: getattr(page, category))
        score: int = getattr(lowest, category)
        measured = f"lowest {score}, on `/{lowest.path}`"
        rows.append((goal, measured, _verdict(score >= target, why)))
    return rows


def lighthouse_section(scores: LighthouseRun | None) -> str:
    if scores is None:
        return NOT_MEASURED
    header = (
        "| Page | Performance | Accessibility | Largest paint | Blocking time | Transfer |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: |\n"
    )
    rows = [
        f"| `/{page.path}` | {page.performance} | {page.accessibility} "
        f"| {page.largest_contentful_paint_ms / 1000:.1f} s "
        f"| {page.total_blocking_time_ms:.0f} ms | {page.transfer_kib:.0f} KiB |"
        for page in scores.pages
    ]
    note = (
        f"Lighthouse {scores.lighthouse_version}, {scores.form_factor} profile, "
        f"{'simulated' if scores.throttling == 'simulate' else scores.throttling} "
        "throttling, the site served gzipped from the same machine."
    )
    return "\n\n".join([header + "\n".join(rows), note, measured_in(scores.run)])


def _quick_goal(tier: QuickTier | None) -> tuple[str, str, str]:
    goal = "`nox -s quick` about 30 s, warm (the quick tier, one worker per core)"
    if tier is None:
        return goal, NOT_MEASURED, _verdict(None)
    measured = f"{tier.seconds:.0f} s on {tier.run.cpus} CPUs, {tier.tests:,} tests"
    return goal, measured, _verdict(tier.seconds <= tier.goal_seconds, QUICK_WHY)


def throughput_section(points: Sequence[ThroughputPoint], chart_path: str) -> str:
    if not points:
        return NOT_MEASURED
    header = (
        "| IOCs | Data | Skipped | IOCs per second | Peak memory | Runs | Measured by |\n"
        "| ---: | --- | ---: | ---: | ---: | ---: | --- |\n"
    )
    rows = [
        f"| {p.ids:,} | {'10% faulty' if p.faulty_share else 'clean'} | {p.skipped:,} "
        f"| {p.ids_per_second:,.0f} | {p.peak_rss_mib:.1f} MiB | {p.repeats} "
        f"| {p.run.mode} run, {p.run.measured_at} |"
        for p in points
    ]
    chart = (
        f"![IOCs per second and peak memory of the connector, by number of IOCs]"
        f"({chart_path})"
    )
    return header + "\n".join(rows) + "\n\n" + chart


def comparison_section(comparisons: Sequence[Comparison | None]) -> str:
    measured = [c for c in comparisons if c is not None]
    if not measured:
        return NOT_MEASURED
    header = (
        "| Baseline | Candidate | IOCs | Baseline (median) | Candidate (median) "
        "| Ratio | Per IOC | Runs each |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    rows = [
        f"| {c.baseline} | {c.candidate} | {c.ids:,} | {c.baseline_seconds:.2f} s "
        f"| {c.candidate_seconds:.2f} s | **{c.ratio:.3f}** "
        f"| {_per_ioc_ms(c):+.2f} ms | {c.repeats} |"
        for c in measured
    ]
    runs = sorted({measured_in(c.run) for c in measured})
    return header + "\n".join(rows) + "\n\n" + "\n".join(runs)


def _per_ioc_ms(comparison: Comparison) -> float:
    """What the candidate adds to each IOC, in milliseconds."""
    extra = comparison.candidate_seconds - comparison.baseline_seconds
    return extra / comparison.ids * 1000


def profile_section(profile: Profile | None) -> str:
    if profile is None:
        return NOT_MEASURED
    shares = "| Work | Seconds | Share |\n| --- | ---: | ---: |\n" + "\n".join(
        f"| {s.category} | {s.seconds:.2f} | {s.share:.1%} |" for s in profile.shares
    )
    hottest = "| Function | Own time |\n| --- | ---: |\n" + "\n".join(
        f"| `{h.function}` | {h.own_seconds:.2f} s |" for h in profile.hottest
    )
    return (
        f"One run of {profile.ids:,} IOCs (clean data, INFO) under cProfile: "
        f"{profile.profiled_seconds:.1f} s profiled.\n\n{shares}\n\n"
        f"The functions with the most time of their own:\n\n{hottest}\n\n"
        + measured_in(profile.run)
    )


def maintainer_section(loop: MaintainerLoop | None) -> str:
    if loop is None:
        return NOT_MEASURED
    rows = [
        ("`mkdocs build`, cold (no bytecode cache)", loop.mkdocs_build_cold_seconds),
        ("`mkdocs build`, warm (median of 3)", loop.mkdocs_build_warm_seconds),
        ("Snippet tests, serial", loop.snippet_tests_serial_seconds),
        (
            f"Snippet tests, `-n {loop.snippet_tests_workers}`",
            loop.snippet_tests_parallel_seconds,
        ),
        ("`nox -R -s docs tests`, first run", loop.nox_docs_tests_first_seconds),
        ("`nox -R -s docs tests`, again (warm)", loop.nox_docs_tests_seconds),
    ]
    table = "| Command | Seconds |\n| --- | ---: |\n" + "\n".join(
        f"| {name} | {_seconds(value)} |" for name, value in rows
    )
    parts = [table]
    if loop.per_snippet:
        total = sum(s.seconds for s in loop.per_snippet)
        parts.append(
            f"Per snippet, in the serial run ({len(loop.per_snippet)} snippets, "
            f"{total:.1f} s in their tests; the five slowest):\n\n"
            + _timings(loop.per_snippet[:5], "Snippet")
        )
    if loop.time_by_folder:
        parts.append(
            "Where the warm run's test time goes, by folder of `tests/` (the time of each "
            "test, summed over the workers):\n\n"
            + _timings(loop.time_by_folder, "Folder", code=False)
        )
    if loop.slowest_tests:
        parts.append(
            "The slowest tests of `nox -s docs tests`:\n\n"
            + _timings(loop.slowest_tests, "Test")
        )
    parts.append(measured_in(loop.run))
    return "\n\n".join(parts)


def quick_tier_section(tier: QuickTier | None) -> str:
    if tier is None:
        return NOT_MEASURED
    rows = [
        ("`nox -s quick`'s tests, first run", tier.first_seconds),
        ("`nox -s quick`'s tests, again (warm)", tier.seconds),
    ]
    table = "| Command | Seconds |\n| --- | ---: |\n" + "\n".join(
        f"| {name} | {_seconds(value)} |" for name, value in rows
    )
    parts = [
        f'`pytest -m "{tier.markers}" --numprocesses auto`: {tier.tests:,} tests.',
        table,
    ]
    if tier.slowest_tests:
        parts.append(
            "The slowest tests of the warm run:\n\n"
            + _timings(tier.slowest_tests, "Test")
        )
    parts.append(measured_in(tier.run))
    return "\n\n".join(parts)


def _timings(items: Sequence[Timing], title: str, *, code: bool = True) -> str:
    quote = "`" if code else ""
    rows = [f"| {quote}{item.name}{quote} | {item.seconds:.2f} s |" for item in items]
    return f"| {title} | Seconds |\n| --- | ---: |\n" + "\n".join(rows)


def _seconds(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.1f}"
