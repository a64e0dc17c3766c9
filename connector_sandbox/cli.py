"""What the two sandbox servers' command lines share: faults, verbosity, Ctrl+C."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

EXIT_CTRL_C = 130


def add_shared_arguments(
    parser: argparse.ArgumentParser, *, fault_example: str
) -> None:
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help=f"a fault spec, e.g. '{fault_example}' (repeatable)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log every request"
    )


def parse_shared_arguments(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> tuple[argparse.Namespace, list[Any]]:
    """The parsed arguments and the --fault specs, decoded; bad JSON ends with usage."""
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    try:
        faults = [json.loads(text) for text in args.fault]
    except json.JSONDecodeError as err:
        parser.error(f"--fault is not JSON: {err}")
    return args, faults


def serve_until_ctrl_c(serve_forever: Callable[[], None], name: str) -> int:
    try:
        serve_forever()
    except KeyboardInterrupt:  # connector-lint: ignore[OCE004] main() exits with it
        # The very top of the program: Ctrl+C is how these servers are meant to stop.
        print(f"{name} stopped", flush=True)
        return EXIT_CTRL_C
    return 0
