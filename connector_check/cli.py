"""``connector-check [options] -- COMMAND [ARG ...]``: check a pycti connector's error handling.

Exit codes: 0 every check passed, 1 a check failed, 2 the checks could not run (bad
arguments, a command that does not start, a connector that never registers or never opens a
work). Progress goes to standard error, the report to standard output.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shlex
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from connector_check.checks import judge
from connector_check.report import ScenarioResult, markdown, table, to_json
from connector_check.run import CheckError, ConnectorChecker, Observed
from connector_check.scenarios import AMQP, API, CLEAN_RUN, NAMES, Scenario, select

PROG = "connector-check"
MAX_TIMEOUT = 3600.0
# The example connector's own variables, for --demo-source.
DEMO_IMPORT_START = "2026-01-01T00:00:00Z"


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [options] -- COMMAND [ARG ...]",
        description=(
            "Run a pycti connector against a stand-in for the OpenCTI platform, under "
            "faults and signals, and say which error-handling rules it breaks."
        ),
        epilog=f"Scenarios: {', '.join(NAMES)}.",
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="write the JSON report"
    )
    parser.add_argument(
        "--markdown", type=Path, metavar="FILE", help="write a Markdown report"
    )
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="run this scenario (repeat for more); the clean run always runs",
    )
    parser.add_argument("--protocol", choices=[API, AMQP], default=API)
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=60.0,
        metavar="S",
        help="seconds one run of the connector may take (default 60)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        type=_assignment,
        metavar="NAME=VALUE",
        help="a variable for the connector, e.g. its source's URL (repeat for more)",
    )
    parser.add_argument(
        "--demo-source",
        action="store_true",
        help="serve the sandbox's demo IOC source and give the connector its "
        "IOC_SOURCE_* settings (for the project's example connector)",
    )
    parser.add_argument(
        "--docs-url",
        default="",
        metavar="URL",
        help="the rule book's address, to make rule links absolute",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds"
        ) from None
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most {MAX_TIMEOUT:g}")
    return value


def _assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    return name, value


def progress(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser().error("give the connector's command after --, e.g. -- python main.py")
    try:
        scenarios = select(args.scenario, args.protocol)
    except ValueError as err:
        parser().error(str(err))
    docs_url = args.docs_url.rstrip("/") + "/" if args.docs_url else ""
    try:
        results = _check(command, args, scenarios)
        print(table(results, docs_url), flush=True)
        _write_reports(args, results, docs_url, shlex.join(command))
    except CheckError as err:
        progress(f"error: {err}")
        return 2
    return 0 if all(result.passed for result in results) else 1


def _check(
    command: list[str], args: argparse.Namespace, scenarios: Sequence[Scenario]
) -> list[ScenarioResult]:
    with ExitStack() as stack:
        env = dict(args.env)
        if args.demo_source:
            env |= _demo_source(stack)
        checker = stack.enter_context(
            ConnectorChecker(
                command, protocol=args.protocol, timeout=args.timeout, env=env
            )
        )
        progress(
            f"platform stand-in on {checker.platform.url}, protocol {args.protocol}"
        )
        results: list[ScenarioResult] = []
        clean: Observed | None = None
        for number, scenario in enumerate(scenarios, start=1):
            progress(
                f"[{number}/{len(scenarios)}] {scenario.name}: {scenario.description}"
            )
            seen = checker.observe(scenario)
            if clean is None:
                _require_a_work(seen)
                clean = seen
            checks = judge(seen, clean)
            passed = sum(check.passed for check in checks)
            progress(
                f"[{number}/{len(scenarios)}] {scenario.name}: {passed} of "
                f"{len(checks)} checks passed ({seen.run.seconds:.1f} s)"
            )
            results.append(ScenarioResult(scenario, checks, seen.run.seconds))
        return results


def _require_a_work(clean: Observed) -> None:
    """The clean run is the baseline: without a registration and a work, nothing can be judged."""
    if clean.scenario is not CLEAN_RUN:
        raise RuntimeError("the clean run must come first")
    last = next((line for line in reversed(clean.run.lines) if line.strip()), "")
    ending = (
        "did not exit in time"
        if clean.run.exit_code is None
        else f"exited {clean.run.exit_code}"
    )
    if not clean.registered:
        raise CheckError(
            f"the connector never registered with the platform ({ending}; last line: "
            f"{last[:200]!r}); is COMMAND a pycti connector that reads OPENCTI_URL and "
            "OPENCTI_TOKEN, with its own settings given (--env)?"
        )
    if not clean.works:
        raise CheckError(
            f"the connector registered but opened no work in a clean run ({ending}; "
            f"last line: {last[:200]!r}); connector-check checks connectors that open "
            "works, as external-import connectors do"
        )


def _demo_source(stack: ExitStack) -> dict[str, str]:
    from connector_sandbox.source import DemoSource

    api_key = secrets.token_hex(16)
    source = stack.enter_context(DemoSource(api_key=api_key, count=8))
    progress(f"demo source on {source.url}")
    return {
        "IOC_SOURCE_URL": source.url,
        "IOC_SOURCE_API_KEY": api_key,
        "IOC_SOURCE_IMPORT_START": DEMO_IMPORT_START,
    }


def _write_reports(
    args: argparse.Namespace,
    results: list[ScenarioResult],
    docs_url: str,
    command: str,
) -> None:
    outputs = []
    if args.json:
        report = to_json(results, args.protocol, docs_url)
        outputs.append(
            (args.json, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        )
    if args.markdown:
        outputs.append((args.markdown, markdown(results, docs_url, command)))
    for path, text in outputs:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as err:
            raise CheckError(f"can't write {path}: {err.strerror or err}") from err
        progress(f"wrote {path}")
