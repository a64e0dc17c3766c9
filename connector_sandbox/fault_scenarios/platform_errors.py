"""The platform's own refusals (release, capabilities, locks, dead works), a slow platform, its
worker's faults, and RabbitMQ going away under the amqp protocol."""

from __future__ import annotations

from connector_sandbox.fault_matrix import (
    AMQP,
    ANY,
    BOTH,
    COUNT,
    PYCTI_REQUESTS_TIMEOUT_SECONDS,
    READER_TOKEN,
    Action,
    Kind,
    Outcome,
    Record,
    Scenario,
    Window,
    WorkShown,
)
from connector_sandbox.fault_scenarios.outcomes import (
    ALL_INGESTED,
    NOT_CLOSED,
    SLOW_IOCS,
    UNEXPECTED,
    all_ingested,
    no_work_opened,
    platform_refused,
)
from connector_sandbox.platform_schema import PlatformRelease


def _stopped_at_start(line: str) -> Outcome:
    return Outcome(
        1, (), None, 0, Window.UNTOUCHED, startup_error=f"example-connector: {line}"
    )


def _not_closed(reason: str) -> Outcome:
    """Ingested everything and saved the state; the platform refused to close the work."""
    return Outcome(
        0,
        (Record("WARNING", NOT_CLOSED, {"reason": reason}),),
        WorkShown("progress", in_error=False, bundles=1),
        COUNT,
        Window.MOVES,
    )


# pika logs each step of a connection that fails, at ERROR, before pycti's call raises.
BROKER_REFUSED = tuple(
    Record("ERROR", message)
    for message in (
        f"Socket failed to connect: {ANY}Connection refused{ANY}",
        f"TCP Connection attempt failed: ConnectionRefusedError{ANY}",
        f"AMQPConnector - reporting failure: {ANY}",
        f"AMQP connection workflow failed: {ANY}",
        f"AMQPConnectionWorkflow - reporting failure: {ANY}",
        f"Connection workflow failed: {ANY}",
        "Error in _create_connection().",
    )
)

PLATFORM_ERROR_SCENARIOS = (
    Scenario(
        "platform_6x_release",
        Kind.PLATFORM,
        "OpenCTI 6.x, whose schema lacks what pycti 7 asks for",
        "Stops before its first run with one line naming both versions and the pycti to"
        " install.",
        _stopped_at_start(
            f"OpenCTI at http://127.0.0.1:{ANY}/ runs 6.8.14, and this connector's pycti is"
            f" {ANY}: the platform's API has no place for what this pycti sends (Cannot query"
            f' field "jwks" on type "Connector".). Use the pycti of the platform\'s version'
            f" (pip install 'pycti==6.8.14') or upgrade OpenCTI to {ANY}."
        ),
        release=PlatformRelease.V6,
    ),
    Scenario(
        "platform_token_lacks_connectorapi",
        Kind.PLATFORM,
        "A token whose user lacks the CONNECTORAPI capability (FORBIDDEN_ACCESS)",
        "Stops before its first run with one line naming the capability to grant.",
        _stopped_at_start(
            f"OpenCTI at http://127.0.0.1:{ANY}/ accepted OPENCTI_TOKEN but its user may not"
            " register a connector: give that user a role with the CONNECTORAPI capability"
            " (OpenCTI's Connector role has it)"
        ),
        settings={"OPENCTI_TOKEN": READER_TOKEN},
    ),
    Scenario(
        "platform_forbidden_on_workadd",
        Kind.PLATFORM,
        "FORBIDDEN_ACCESS on workAdd (a role changed while the connector runs)",
        "Can't open a work: logs the error with its traceback, asks the source nothing,"
        " keeps the window.",
        no_work_opened(
            f"ValueError({ANY}'FORBIDDEN_ACCESS'{ANY}'You are not allowed to do this.'{ANY})"
        ),
        platform_faults=({"name": "forbidden_access", "operation": "workAdd"},),
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_lock_error_at_close",
        Kind.PLATFORM,
        "LOCK_ERROR on workToProcessed (too many concurrent calls on the work)",
        "Has ingested everything and saved the state, but can't close the work, and says so"
        " with the work's id.",
        _not_closed(
            f"ValueError: {ANY}'LOCK_ERROR'{ANY}'Execution timeout, too many concurrent call"
            f" on the same entities'{ANY}"
        ),
        platform_faults=({"name": "lock_error", "operation": "workToProcessed"},),
        protocols=BOTH,
    ),
    Scenario(
        "platform_work_not_alive_at_close",
        Kind.PLATFORM,
        "WORK_NOT_ALIVE (HTTP 500) on workToProcessed: the work is gone",
        "Has ingested everything and saved the state, but can't close the work, and says so"
        " with the work's id.",
        _not_closed(
            f"ValueError: {ANY}Work is no longer alive{ANY}WORK_NOT_ALIVE{ANY}"
        ),
        platform_faults=({"name": "work_not_alive", "operation": "workToProcessed"},),
        protocols=BOTH,
    ),
    Scenario(
        "platform_slow",
        Kind.PLATFORM,
        "OpenCTI answers every request 0.3 s late",
        "Runs as usual, only slower: every answer comes within pycti's"
        f" {PYCTI_REQUESTS_TIMEOUT_SECONDS} s timeout.",
        all_ingested(),
        platform_faults=({"name": "latency", "operation": "*", "seconds": 0.3},),
        protocols=BOTH,
    ),
    Scenario(
        "platform_times_out_at_start",
        Kind.PLATFORM,
        f"OpenCTI takes longer than pycti's {PYCTI_REQUESTS_TIMEOUT_SECONDS} s request"
        " timeout to answer its health check",
        "Stops before its first run with one line naming the settings to check.",
        # Start-up, where an answer that the platform completes late changes nothing.
        platform_refused(f"HTTPConnectionPool({ANY}Read timed out.{ANY}"),
        platform_faults=(
            # Past pycti's fixed requests_timeout, which its helper can't shorten. The
            # test runs it on a shorter clock (tests/reliability/short_pycti_timeout.py).
            {
                "name": "latency",
                "operation": "healthCheck",
                "seconds": PYCTI_REQUESTS_TIMEOUT_SECONDS + 1,
                "times": 1,
            },
        ),
        rerun=True,
    ),
    Scenario(
        "platform_worker_slow",
        Kind.PLATFORM,
        "OpenCTI's worker takes its time over each part of the bundle",
        "Runs as usual and exits; the work completes once the worker has caught up.",
        all_ingested(),
        platform_faults=({"name": "worker_slow", "seconds": 0.05},),
        protocols=BOTH,
    ),
    Scenario(
        "platform_worker_reports_an_error",
        Kind.PLATFORM,
        "OpenCTI's worker fails to import a part (Element(s) not found)",
        "Nothing to do for the connector, which can't know: the worker's error shows on"
        " the work, next to the connector's closing message.",
        Outcome(
            0,
            (),
            WorkShown(
                "complete",
                in_error=False,
                messages=(ALL_INGESTED,),
                errors=("Element(s) not found",),
                bundles=1,
            ),
            COUNT,
            Window.MOVES,
        ),
        platform_faults=({"name": "worker_error", "times": 1},),
        protocols=BOTH,
    ),
    Scenario(
        "rabbitmq_down_mid_run",
        Kind.PLATFORM,
        "RabbitMQ goes down in the middle of a run (amqp)",
        "Stops the run when the bundle can't be published, alerts the platform and closes"
        " the work in error, keeps the window; pycti had already announced the bundle's"
        " parts, so OpenCTI keeps the work in progress. The next run ingests everything.",
        Outcome(
            0,
            (
                *BROKER_REFUSED,
                Record(
                    "ERROR",
                    UNEXPECTED,
                    {"error": f"AMQPConnectionError: {ANY}Connection refused{ANY}"},
                ),
            ),
            WorkShown(
                "progress",
                in_error=True,
                errors=(
                    f"Unexpected error: AMQPConnectionError{ANY}",
                    f"0 of {COUNT} IOCs ingested; {COUNT} not processed",
                ),
            ),
            0,
            Window.KEPT,
        ),
        source_faults=SLOW_IOCS,
        action=Action.STOP_BROKER,
        rerun=True,
        protocols=(AMQP,),
    ),
)
