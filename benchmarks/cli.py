"""``python -m benchmarks run [--quick] [--only SECTION...]`` and ``python -m benchmarks render``.

``run`` measures and merges what it measured into the results file after each section, so
an interrupted run keeps what it finished; ``--quick`` runs small sizes and skips the
maintainer loop (not its quick tier) and the 10,000 and 100,000-IOC runs, whose numbers
stay those of the last full run (the page says which run each number comes from). ``render`` prints the page's
generated Markdown, and with ``--chart FILE`` writes the chart.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks import costs, lighthouse, maintainer_loop, profiling, throughput
from benchmarks.chart import throughput_chart
from benchmarks.lighthouse import LighthouseError
from benchmarks.maintainer_loop import CommandFailedError
from benchmarks.render import page_markdown
from benchmarks.results import (
    RESULTS_FILE,
    Mode,
    Results,
    ResultsError,
    RunInfo,
    ThroughputPoint,
    load,
    load_or_empty,
    save,
)
from benchmarks.sandbox_run import ConnectorRunError


@dataclass(frozen=True)
class Plan:
    """What one mode measures: sizes, repeats, and which sections it runs."""

    small_sizes: dict[int, int]
    large_sizes: dict[int, int]
    comparison_ids: int
    rules_repeats: int
    logging_repeats: int
    profile_ids: int
    maintainer_loop: bool


PLANS = {
    "full": Plan(
        small_sizes={1_000: 5, 10_000: 3},
        large_sizes={100_000: 3},
        comparison_ids=3_000,
        rules_repeats=7,
        logging_repeats=5,
        profile_ids=10_000,
        maintainer_loop=True,
    ),
    "quick": Plan(
        small_sizes={1_000: 3},
        large_sizes={},
        comparison_ids=1_000,
        rules_repeats=3,
        logging_repeats=3,
        profile_ids=2_000,
        maintainer_loop=False,
    ),
}
SECTIONS = (
    "throughput",
    "rules",
    "logging",
    "profile",
    "large",
    "quick",
    "loop",
    "lighthouse",
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        _command(args)
    except ResultsError as err:
        print(f"benchmarks: {err}", file=sys.stderr)
        return 2
    except (ConnectorRunError, CommandFailedError, LighthouseError) as err:
        print(
            f"benchmarks: a measurement failed, nothing saved for it: {err}",
            file=sys.stderr,
        )
        return 1
    return 0


def _command(args: argparse.Namespace) -> None:
    if args.command == "run":
        mode: Mode = "quick" if args.quick else "full"
        run(mode, args.only or list(SECTIONS), args.results)
    else:
        render(args.results, args.chart)


def run(mode: Mode, sections: list[str], path: Path) -> None:
    plan = PLANS[mode]
    recorder = _Recorder(load_or_empty(path), path)
    for section in SECTIONS:
        if section not in sections:
            continue
        print(f"measuring: {section}", flush=True)
        if section in ("throughput", "large"):
            sizes = plan.small_sizes if section == "throughput" else plan.large_sizes
            points = throughput.measure(sizes, RunInfo.here(mode), recorder.point)
            if not points:
                print("skipped in a quick run: the largest sizes")
        elif section == "rules":
            cost = costs.rules_cost(
                plan.comparison_ids, plan.rules_repeats, RunInfo.here(mode)
            )
            recorder.record(Results(rules_cost=cost), "the cost of the error handling")
        elif section == "logging":
            cost = costs.logging_cost(
                plan.comparison_ids, plan.logging_repeats, RunInfo.here(mode)
            )
            recorder.record(Results(logging_cost=cost), "DEBUG against ERROR logging")
        elif section == "profile":
            profile = profiling.profile_run(plan.profile_ids, RunInfo.here(mode))
            recorder.record(Results(profile=profile), "the profile")
        elif section == "quick":
            tier = maintainer_loop.measure_quick_tier(RunInfo.here(mode))
            recorder.record(Results(quick_tier=tier), "the quick tier")
        elif section == "lighthouse":
            scores = lighthouse.measure(RunInfo.here(mode))
            recorder.record(Results(lighthouse=scores), "the Lighthouse scores")
        elif plan.maintainer_loop:
            loop = maintainer_loop.measure(RunInfo.here(mode))
            recorder.record(Results(maintainer=loop), "the maintainer loop")
        else:
            print("skipped in a quick run: the maintainer loop")


class _Recorder:
    """Merges each measurement into the results file as soon as it is made."""

    def __init__(self, results: Results, path: Path) -> None:
        self.results = results
        self.path = path

    def record(self, measured: Results, what: str) -> None:
        self.results = self.results.merged_with(measured)
        save(self.results, self.path)
        print(f"saved: {what}", flush=True)

    def point(self, point: ThroughputPoint) -> None:
        self.record(Results(throughput=[point]), throughput.describe(point))


def render(path: Path, chart: Path | None) -> None:
    results = load(path)
    print(page_markdown(results), end="")
    if chart is not None:
        chart.write_text(throughput_chart(results.throughput), encoding="utf-8")
        print(f"chart written to {chart}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS_FILE, help="the results file"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser(
        "run", help="measure, and merge into the results file"
    )
    run_parser.add_argument(
        "--quick", action="store_true", help="small sizes, no maintainer loop"
    )
    run_parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="measure only this section (repeatable)",
    )
    render_parser = commands.add_parser(
        "render", help="print the page's generated Markdown"
    )
    render_parser.add_argument(
        "--chart", type=Path, help="also write the chart (SVG) here"
    )
    return parser
