"""Where one run's time goes: cProfile in the connector's process, summed into categories.

The categories are the cumulative times of the functions that do each kind of work, as
shares of the run (``Connector.process``). They don't overlap on clean data: the connector's
own log calls are made outside the HTTP, parsing, conversion and sending functions (a retry's
DEBUG record, inside HTTP, only happens on faults).
"""

from __future__ import annotations

import pstats
import tempfile
from collections.abc import Iterable
from pathlib import Path

from benchmarks.results import HotFunction, Profile, ProfileShare, RunInfo
from benchmarks.sandbox_run import run_once

ROOT = Path(__file__).resolve().parent.parent
# (file name ending, function name) -> the work it does.
PROCESS = ("example_connector/connector.py", "process")
SOURCE_HTTP = ("example_connector/http_transport.py", "get")
PARSING = ("example_connector/client_api.py", "_parse")
CONVERSION = ("example_connector/converter.py", "convert_ioc")
SENDING = ("example_connector/connector.py", "_send")
PLATFORM_HTTP = ("pycti/api/opencti_api_client.py", "send_bundle_to_api")
LOGGER_FILE = "pycti/utils/opencti_logger.py"
LOG_METHODS = ("debug", "info", "warning", "error")
CONNECTOR_FILES = "snippets/example_connector/"
HOTTEST = 8

Key = tuple[str, int, str]
StatsTable = dict[
    Key, tuple[int, int, float, float, dict[Key, tuple[int, int, float, float]]]
]


def profile_run(ids: int, run: RunInfo) -> Profile:
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        output = Path(folder) / "run.prof"
        args = ("-m", "cProfile", "-o", str(output), "-m", "snippets.example_connector")
        run_once(ids, python_args=args)
        return summarize(pstats.Stats(str(output)), ids, run)


def summarize(stats: pstats.Stats, ids: int, run: RunInfo) -> Profile:
    table: StatsTable = stats.stats  # type: ignore[attr-defined]  # untyped in typeshed
    total = _cumulative(table, PROCESS)
    sending = _cumulative(table, SENDING)
    platform_http = _cumulative(table, PLATFORM_HTTP)
    seconds = {
        "HTTP to the source (IOCs and PDFs)": _cumulative(table, SOURCE_HTTP),
        "Parsing and validating the source's JSON": _cumulative(table, PARSING),
        "Conversion to STIX (stix2 objects, pattern checks)": _cumulative(
            table, CONVERSION
        ),
        "Bundle creation and serialisation (pycti)": sending - platform_http,
        "HTTP to OpenCTI (bundles, work, state)": platform_http,
        "Logging (the connector's own records)": _connector_logging(table),
    }
    seconds["Other (run loop, warnings capture, bookkeeping)"] = max(
        0.0, total - sum(seconds.values())
    )
    return Profile(
        ids=ids,
        profiled_seconds=round(total, 3),
        shares=[
            ProfileShare(
                category=name, seconds=round(value, 3), share=round(value / total, 4)
            )
            for name, value in seconds.items()
        ],
        hottest=[
            HotFunction(function=_label(key), own_seconds=round(row[2], 3))
            for key, row in sorted(table.items(), key=lambda item: -item[1][2])[
                :HOTTEST
            ]
        ],
        run=run,
    )


def _matching(table: StatsTable, where: tuple[str, str]) -> Iterable[Key]:
    ending, name = where
    return (key for key in table if key[0].endswith(ending) and key[2] == name)


def _cumulative(table: StatsTable, where: tuple[str, str]) -> float:
    return sum(table[key][3] for key in _matching(table, where))


def _connector_logging(table: StatsTable) -> float:
    """Time in pycti's logger methods when the connector's own modules call them."""
    return sum(
        timing[3]
        for method in LOG_METHODS
        for key in _matching(table, (LOGGER_FILE, method))
        for caller, timing in table[key][4].items()
        if CONNECTOR_FILES in caller[0].replace("\\", "/")
    )


def _label(key: Key) -> str:
    """``package/module.py:function``, never a path of the machine that measured it."""
    file, _, name = key
    if file == "~":  # a built-in: cProfile names it "{method 'recv_into' ...}"
        return name
    path = Path(file)
    parts = path.parts
    if "site-packages" in parts:
        inside = parts[parts.index("site-packages") + 1 :]
        return f"{'/'.join(inside)}:{name}"
    if path.is_relative_to(ROOT):
        return f"{path.relative_to(ROOT).as_posix()}:{name}"
    # The standard library: the path below lib/python3.x/.
    version_dirs = [i for i, part in enumerate(parts) if part.startswith("python3")]
    inside = parts[version_dirs[-1] + 1 :] if version_dirs else (path.name,)
    return f"{'/'.join(inside)}:{name}"
