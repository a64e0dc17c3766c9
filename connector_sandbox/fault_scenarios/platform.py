"""Faults of the OpenCTI platform, at start-up, mid-run and when the run closes."""

from __future__ import annotations

from connector_sandbox.fault_matrix import (
    ANY,
    BOTH,
    COUNT,
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
    NONE_SENT,
    NOT_CLOSED,
    PING_FAILED,
    REFUSED,
    SLOW_IOCS,
    UNEXPECTED,
    done,
    failed,
    no_work_opened,
    platform_refused,
)

PLATFORM_SCENARIOS = (
    Scenario(
        "platform_unreachable_at_start",
        Kind.PLATFORM,
        "OpenCTI unreachable at start-up (connection refused)",
        "Stops before its first run with one line naming the settings to check.",
        platform_refused(f"HTTPConnectionPool({ANY}Connection refused{ANY}"),
        action=Action.PLATFORM_DOWN,
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_refuses_the_token",
        Kind.PLATFORM,
        "OpenCTI refuses the token",
        "Stops before its first run with one line naming the settings to check.",
        platform_refused(
            "{'name': 'AUTH_REQUIRED', 'error_message': 'You must be logged in to do this.'"
            f"{ANY}"
        ),
        settings={"OPENCTI_TOKEN": "platform-token-wrong-RELIABILITY-41c7"},
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_503_at_start",
        Kind.PLATFORM,
        "OpenCTI answers 503 to its health check at start-up",
        "Stops before its first run with one line naming the settings to check.",
        platform_refused("503 Service Unavailable (fault injected for healthCheck)\n"),
        platform_faults=({"name": "http_503", "operation": "healthCheck"},),
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_workadd_refused",
        Kind.PLATFORM,
        "A GraphQL error on workAdd",
        "Can't open a work: logs the error with its traceback, asks the source nothing,"
        " keeps the window.",
        no_work_opened(f"ValueError({ANY}'Injected fault: workAdd failed'{ANY})"),
        platform_faults=({"name": "graphql_error", "operation": "workAdd"},),
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_refuses_the_bundle",
        Kind.PLATFORM,
        "OpenCTI refuses the bundle (StixBundlePush: Invalid bundle)",
        "Stops the run: logs the error with its traceback, closes the work in error with the"
        " count of IOCs not sent, keeps the window.",
        Outcome(
            0,
            (
                Record(
                    "ERROR",
                    UNEXPECTED,
                    {"error": f"ValueError({ANY}'Invalid bundle'{ANY})"},
                ),
            ),
            failed(
                f"Unexpected error: ValueError({ANY}'Invalid bundle'{ANY})", NONE_SENT
            ),
            0,
            Window.KEPT,
        ),
        platform_faults=(
            {
                "name": "graphql_error",
                "operation": "StixBundlePush",
                "message": "Invalid bundle",
                "code": "UNSUPPORTED_ERROR",
            },
        ),
        rerun=True,
    ),
    Scenario(
        "platform_unreachable_mid_run",
        Kind.PLATFORM,
        "OpenCTI goes down in the middle of a run",
        "Stops the run when the bundle can't be sent; can neither close the work nor save"
        " the state, and says so. The next run closes the work left open (its id was saved"
        " when it was opened) and starts from the last saved window.",
        Outcome(
            0,
            (
                Record(
                    "ERROR",
                    UNEXPECTED,
                    {"error": f"ConnectionError({ANY}Connection refused{ANY})"},
                ),
                Record("ERROR", "Cannot report expectation"),
                Record("WARNING", NOT_CLOSED, {"reason": REFUSED}),
                Record(
                    "ERROR",
                    PING_FAILED,
                    {"reason": f"{ANY}Connection refused{ANY}"},
                    count=3,
                ),
            ),
            WorkShown("progress", in_error=False),
            0,
            Window.NOT_SAVED,
        ),
        source_faults=SLOW_IOCS,
        action=Action.STOP_PLATFORM,
        rerun=True,
    ),
    Scenario(
        "platform_unavailable_at_close",
        Kind.PLATFORM,
        "OpenCTI answers 503 when the run saves its state and closes its work",
        "Has ingested everything, but can neither close the work nor save the state, and says"
        " so. The next run asks for the same window; the same ids update the same objects.",
        Outcome(
            0,
            (
                # The state that records the open work can't be saved either.
                Record(
                    "ERROR", PING_FAILED, {"reason": f"503 Service Unavailable{ANY}"}
                ),
                Record(
                    "WARNING",
                    NOT_CLOSED,
                    {"reason": f"ValueError: 503 Service Unavailable{ANY}"},
                ),
                Record("ERROR", PING_FAILED, count=3),
            ),
            WorkShown("progress", in_error=False, bundles=1),
            COUNT,
            Window.NOT_SAVED,
        ),
        platform_faults=(
            {"name": "http_503", "operation": "PingConnector"},
            {"name": "http_503", "operation": "workToProcessed"},
        ),
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_refuses_to_close_the_work",
        Kind.PLATFORM,
        "A GraphQL error on workToProcessed",
        "Has ingested everything and saved the state, but can't close the work, and says so"
        " with the work's id.",
        Outcome(
            0,
            (
                Record(
                    "WARNING",
                    NOT_CLOSED,
                    {
                        "reason": f"ValueError: {ANY}'Injected fault: workToProcessed failed'{ANY}"
                    },
                ),
            ),
            WorkShown("progress", in_error=False, bundles=1),
            COUNT,
            Window.MOVES,
        ),
        platform_faults=({"name": "graphql_error", "operation": "workToProcessed"},),
        protocols=BOTH,
    ),
    Scenario(
        "platform_refuses_the_state",
        Kind.PLATFORM,
        "A GraphQL error on PingConnector, which carries the state",
        "Closes the work as usual; pycti logs that the state could not be sent. The next run"
        " asks for the same window again.",
        Outcome(
            0,
            (
                Record(
                    "ERROR",
                    PING_FAILED,
                    {"reason": f"{ANY}PingConnector failed{ANY}"},
                    count=4,
                ),
            ),
            done(ALL_INGESTED),
            COUNT,
            Window.NOT_SAVED,
        ),
        platform_faults=({"name": "graphql_error", "operation": "PingConnector"},),
        rerun=True,
        protocols=BOTH,
    ),
    Scenario(
        "platform_queue_check_fails",
        Kind.PLATFORM,
        "A GraphQL error on GetConnector, pycti's queue check before each run",
        "Never starts the run: pycti logs the error and its exit hook ends the process with"
        " SIGTERM; the connector prints the traceback first.",
        Outcome(
            143,
            (
                Record(
                    "ERROR",
                    "An error occurred while checking the queue size",
                    {"reason": f"{ANY}GetConnector failed{ANY}"},
                ),
            ),
            None,
            0,
            Window.UNTOUCHED,
            traceback=True,
        ),
        platform_faults=({"name": "graphql_error", "operation": "GetConnector"},),
        rerun=True,
        protocols=BOTH,
    ),
)
