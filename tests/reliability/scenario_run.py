"""Run one scenario of the fault matrix and gather what every party saw.

The connector runs as a real process (pycti's real helper) against a fresh platform stand-in
and demo source, both on free ports, so scenarios can run in parallel. The process is forked
from a fork server that has imported pycti already (``connector_sandbox.fork_server``): the
same process, its own environment, signals and exit code, without a second of imports each.
"""

from __future__ import annotations

import datetime
import json
import signal
from dataclasses import dataclass
from pathlib import Path

from connector_sandbox.broker import RabbitBroker
from connector_sandbox.connector_run import (
    ConnectorProcess,
    ConnectorRun,
    Starter,
    connector_env,
    parse_output,
    start_connector,
)
from connector_sandbox.fault_matrix import (
    API,
    BASE_SETTINGS,
    TOKEN_PLACEHOLDER,
    Action,
    Scenario,
)
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.source import DemoSource
from connector_sandbox.source_faults import Endpoint, FaultName
from connector_sandbox.source_replies import odd_ids

# Recognisable secrets: if either shows up anywhere, the scan below finds it.
TOKEN = "platform-token-RELIABILITY-7f3a9c2e51d0"
API_KEY = "source-key-RELIABILITY-b81d04e6a3f9"
SECRET_SETTINGS = ("OPENCTI_TOKEN", "IOC_SOURCE_API_KEY")
SIGNALS = {Action.SIGTERM: signal.SIGTERM, Action.SIGINT: signal.SIGINT}
MID_RUN = (Action.SIGTERM, Action.SIGINT, Action.STOP_PLATFORM, Action.STOP_BROKER)
PROCESS_TIMEOUT = 60


@dataclass(frozen=True)
class ScenarioRun(ConnectorRun):
    """A finished run, with its output's lines as they were printed."""

    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sandbox:
    platform: PlatformStandIn
    source: DemoSource
    connector_id: str
    workdir: Path
    protocol: str = API
    broker: RabbitBroker | None = None
    start: Starter = start_connector


def environment(sandbox: Sandbox, scenario: Scenario | None) -> dict[str, str]:
    """The connector's environment for the scenario; None gives a healthy configuration."""
    env = connector_env(
        platform_url=sandbox.platform.url,
        token=TOKEN,
        source_url=sandbox.source.url,
        api_key=API_KEY,
        connector_id=sandbox.connector_id,
        CONNECTOR_QUEUE_PROTOCOL=sandbox.protocol,
        **BASE_SETTINGS,
    )
    for name, value in (scenario.settings if scenario else {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value.replace(TOKEN_PLACEHOLDER, TOKEN)
    return env


def secrets_of(scenario: Scenario) -> list[str]:
    """The secret values this scenario gives the connector: none may appear anywhere."""
    given = [scenario.settings.get(name) for name in SECRET_SETTINGS]
    return [TOKEN, API_KEY, *(value for value in given if value)]


def run(sandbox: Sandbox, scenario: Scenario) -> ScenarioRun:
    if scenario.config_file is not None:
        config = scenario.config_file.replace(TOKEN_PLACEHOLDER, TOKEN)
        (sandbox.workdir / "config.yml").write_text(config, encoding="utf-8")
    if scenario.action is Action.PLATFORM_DOWN:
        sandbox.platform.stop()
    process = sandbox.start(environment(sandbox, scenario), sandbox.workdir)
    timeout = PROCESS_TIMEOUT + scenario.platform_delay
    if scenario.action not in MID_RUN:
        return _finish(process, timeout=timeout)
    seen = _read_until(process, scenario.action_after)
    if scenario.action is Action.STOP_PLATFORM:
        sandbox.platform.stop()
    elif scenario.action is Action.STOP_BROKER:
        assert sandbox.broker is not None, "stopping RabbitMQ needs a broker"
        sandbox.broker.stop()
    else:
        process.send_signal(SIGNALS[scenario.action])
    return _finish(process, "".join(seen), timeout=timeout)


def rerun(sandbox: Sandbox) -> ScenarioRun:
    """The next run, once the fault is gone: no faults, the platform up, healthy settings."""
    sandbox.source.clear_faults()
    sandbox.platform.clear_faults()
    if not sandbox.platform.running:
        sandbox.platform.start()
    if sandbox.broker is not None and not sandbox.broker.running:
        sandbox.broker.start()
    process = sandbox.start(environment(sandbox, None), sandbox.workdir)
    return _finish(process)


def _finish(
    process: ConnectorProcess, seen: str = "", timeout: float = PROCESS_TIMEOUT
) -> ScenarioRun:
    """Wait for the process; ``seen`` is what was read of its output already."""
    rest, _ = process.communicate(timeout=timeout)
    output = seen + rest
    parsed = parse_output(process.wait(), output)  # ended: wait() is its exit code
    return ScenarioRun(
        parsed.exit_code,
        parsed.records,
        parsed.other_output,
        tuple(output.splitlines()),
    )


def _read_until(process: ConnectorProcess, message: str) -> list[str]:
    """The lines output up to and including the first record with ``message``."""
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if parse_output(0, line).with_message(message):
            return seen
    raise AssertionError(f"the connector never logged {message!r}: {seen}")


def listed_ids(run_: ConnectorRun, source: DemoSource) -> list[str] | None:
    """The ids ``get_ids`` returned, from the windows the run logged (one, or its slices
    when one answer could not hold them all); None if it got none.

    The query carries whole seconds, so each window is cut to the second as it is sent;
    with the ``odd_ids`` fault active, each answer has the odd ids too, each id once.
    """
    listed = run_.with_message("IOCs to process")
    if not listed:
        return None
    ids: list[str] = []
    for record in listed:
        window = record["attributes"]
        start = _to_the_second(window["start"])
        end = _to_the_second(window["end"])
        in_window = source.ids_between(start, end)
        if _odd_ids_listed(source):
            in_window += odd_ids(in_window)
        in_window = list(dict.fromkeys(in_window))
        assert len(in_window) == window["count"]
        ids += in_window
    return ids


def _to_the_second(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(microsecond=0)


def _odd_ids_listed(source: DemoSource) -> bool:
    """Whether every id list has the ``odd_ids`` fault's additions (the only way the matrix
    uses it: on every request)."""
    odd = [f for f in source.faults if f.name is FaultName.ODD_IDS]
    assert all(
        f.endpoint is Endpoint.IDS and f.rate is None and f.times is None for f in odd
    ), odd
    return bool(odd)


def ingested_ids(
    sandbox: Sandbox, work_id: str, ids: list[str] | None = None
) -> set[str]:
    """The ids whose Indicator reached the platform in this work's bundles."""
    ids = ids if ids is not None else sandbox.source.ids_between(_EPOCH, _FAR)
    by_value = {sandbox.source.ioc(ioc_id).value: ioc_id for ioc_id in ids}
    names = [
        obj["name"]
        for obj in sandbox.platform.objects(sandbox.connector_id, work_id)
        if obj["type"] == "indicator"
    ]
    unknown = [name for name in names if name not in by_value]
    assert unknown == [], f"Indicators for values the source never listed: {unknown}"
    return {by_value[name] for name in names}


def everything_recorded(run_: ConnectorRun, platform: PlatformStandIn) -> str:
    """Every log line, traceback, exception text, stand-in record and bundle, as text."""
    return "\n".join(
        [
            json.dumps(run_.records),
            *run_.other_output,
            json.dumps(platform.snapshot()),
        ]
    )


_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_FAR = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
