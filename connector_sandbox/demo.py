"""``nox -s demo``: start the sandbox, run the example connector once, say what happened.

The source serves 20 seeded IOCs, a few of them faulty; the summary shows what the
connector ingested, what it skipped and why, and the work as OpenCTI would show it.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import uuid
from contextlib import ExitStack
from typing import Any

from connector_sandbox.broker import BrokerError, RabbitBroker
from connector_sandbox.connector_run import ConnectorRun, connector_env, run_connector
from connector_sandbox.platform import PlatformStandIn
from connector_sandbox.source import DemoSource
from connector_sandbox.source_data import format_id

DEMO_FAULTS: list[dict[str, Any]] = [
    # Skipped: the connector has no conversion for this type (UseCaseError).
    {"name": "unknown_type", "endpoint": "ioc", "id": "ioc-0004"},
    # Skipped: the source lost this one (DataRetrievalError, not retryable).
    {"name": "http_404", "endpoint": "ioc", "id": "ioc-0007"},
    # Skipped: the source sends a body that is not JSON (DataRetrievalError).
    {"name": "malformed_json", "endpoint": "ioc", "id": "ioc-0011"},
    # Ingested: two 503s, then the retry succeeds.
    {"name": "http_503", "endpoint": "ioc", "id": "ioc-0014", "times": 2},
    # Ingested, with a WARNING: fields the source never documented.
    {"name": "extra_fields", "endpoint": "ioc", "id": "ioc-0016"},
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="IOCs the source serves")
    parser.add_argument(
        "--no-faults", action="store_true", help="serve clean data only"
    )
    parser.add_argument(
        "--protocol",
        choices=["api", "amqp"],
        default="api",
        help="how bundles reach OpenCTI; amqp starts a throw-away RabbitMQ",
    )
    args = parser.parse_args(argv)
    # Fresh secrets each time: the summary can then prove none of them leaked.
    token, api_key = secrets.token_hex(16), secrets.token_hex(16)
    connector_id = str(uuid.uuid4())
    if args.count < 1:
        parser.error("--count must be at least 1")
    seeded = {format_id(index) for index in range(args.count)}
    # The demo's faults target fixed ids: keep those the source serves.
    faults = [] if args.no_faults else [f for f in DEMO_FAULTS if f["id"] in seeded]
    with ExitStack() as stack:
        broker = None
        if args.protocol == "amqp":
            try:
                broker = stack.enter_context(RabbitBroker())
            except BrokerError as err:
                parser.error(str(err))
        platform = stack.enter_context(PlatformStandIn(token=token, broker=broker))
        source = stack.enter_context(
            DemoSource(api_key=api_key, count=args.count, faults=faults)
        )
        print(f"Demo source on {source.url}, OpenCTI stand-in on {platform.url}")
        if broker is not None:
            print(f"Bundles over amqp, through RabbitMQ on port {broker.port}")
        print("Running the example connector once...\n")
        env = connector_env(
            platform_url=platform.url,
            token=token,
            source_url=source.url,
            api_key=api_key,
            connector_id=connector_id,
            CONNECTOR_QUEUE_PROTOCOL=args.protocol,
        )
        run = run_connector(env)
        # The worker ingests what the run sent: show the works once it has caught up.
        platform.settle()
        print(summary(run, platform, connector_id))
        leaked = _leaks(run, platform, (token, api_key))
    if leaked:
        print(f"\nSECRET LEAKED in: {', '.join(leaked)}")
        return 1
    return run.exit_code


def summary(run: ConnectorRun, platform: PlatformStandIn, connector_id: str) -> str:
    lines = [f"Connector exit code: {run.exit_code}"]
    finished = run.with_message("Run finished")
    if finished:
        facts = finished[-1]["attributes"]
        lines.append(f"IOCs seen: {facts['ids_seen']}, ingested: {facts['ingested']}")
    skips = run.with_message("IOC skipped")
    lines.append(f"Skipped: {len(skips)}")
    lines += [
        f"  {r['attributes']['ioc_id']}  {r['attributes']['error']}: "
        f"{r['attributes']['reason']}"
        for r in skips
    ]
    warned = run.with_message("The source's data is not as documented")
    lines.append(f"Ingested with data warnings: {len(warned)} WARNING records")
    for work in platform.works(connector_id):
        messages = [m["message"] for m in work["messages"]]
        errors = [e["message"] for e in work["errors"]]
        lines += [
            f"Work {work['name']!r}: status={work['status']}, in_error={work['in_error']}",
            f"  messages: {messages}",
            f"  errors: {errors}",
            f"  bundles: {work['bundles_received']}, objects: {work['objects_received']}",
        ]
    lines.append(
        f"State saved on the platform: {json.dumps(platform.state(connector_id))}"
    )
    if run.other_output:
        lines += ["Other output:", *run.other_output]
    return "\n".join(lines)


def _leaks(
    run: ConnectorRun, platform: PlatformStandIn, secret_values: tuple[str, ...]
) -> list[str]:
    places = {
        "connector logs": json.dumps(run.records) + "\n".join(run.other_output),
        "platform records": json.dumps(platform.snapshot()),
    }
    return [
        name for name, text in places.items() if any(s in text for s in secret_values)
    ]


if __name__ == "__main__":
    sys.exit(main())
