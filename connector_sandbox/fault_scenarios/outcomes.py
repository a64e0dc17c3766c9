"""What the scenarios share: record messages, expected texts, and outcome builders.

Most faults hit one IOC, ``FAULTY_IOC``, or the id list that starts every run; the helpers
below build the outcomes these share, so each row reads as "this fault, this outcome".
"""

from __future__ import annotations

from connector_sandbox.fault_matrix import (
    ANY,
    COUNT,
    FAULTY_IOC,
    Outcome,
    Record,
    Window,
    WorkShown,
)

IOC_SKIPPED = "IOC skipped"
SOURCE_DOWN = "The source is unavailable; the next run will try again"
KEY_REFUSED = "The source refused the API key; fix IOC_SOURCE_API_KEY"
NOT_AS_DOCUMENTED = "The source's data is not as documented"
UNEXPECTED = "Unexpected error; the run is stopped"
NOT_CLOSED = "Could not close the work; it stays in progress in OpenCTI"
# pycti's own record, when the state can't be sent.
PING_FAILED = "Error pinging the API"
NO_PDF = "PDF cannot be retrieved"
STOPPED = "Connector stopped by user or system before the run finished"

THE_IDS = f"the IOC ids between {ANY} and {ANY}"
THE_IOC = f"IOC {FAULTY_IOC}"
ALL_INGESTED = f"{COUNT} of {COUNT} IOCs ingested"
NONE_SEEN = "0 of 0 IOCs ingested"
NONE_SENT = f"0 of {COUNT} IOCs ingested; {COUNT} not processed"
REFUSED = f"ConnectionError: {ANY}Connection refused{ANY}"
TIMED_OUT = f"ReadTimeout: {ANY}Read timed out.{ANY}"
CUT_SHORT = f"ChunkedEncodingError: {ANY}Connection broken: IncompleteRead{ANY}"

# What the connector does, in the words of the page, for the rows that share it.
RETRIED_THEN_SKIPPED = (
    "Retries, then skips the IOC with a WARNING; the others go on."
    " The next run asks again."
)
SKIPPED_FOR_GOOD = (
    "Skips the IOC with a WARNING; the others go on. Asking again would not help."
)
RUN_IN_ERROR = "Imports nothing and closes the work in error. The next run asks again."
STOPPED_FOR_THE_KEY = (
    "Stops the run, as every next request would be refused too, and closes the work in"
    " error naming the setting to fix. Once it is fixed, the next run asks again."
)
RETRIED_THEN_RUN_IN_ERROR = (
    "Retries, then imports nothing and closes the work in error."
    " The next run asks again."
)
RETRIED_THEN_INGESTED = (
    "Retries the request, gets the IOC at the next attempt, goes on."
)

# Slow answers keep the run busy long enough for a signal or a platform stop to land mid-run.
SLOW_IOCS = ({"name": "slow", "endpoint": "ioc", "rate": 1.0, "seconds": 0.3},)


def on_ioc(name: str, **options: object) -> dict[str, object]:
    return {"name": name, "endpoint": "ioc", "id": FAULTY_IOC, **options}


def on_ids(name: str, **options: object) -> dict[str, object]:
    return {"name": name, "endpoint": "ids", **options}


def could_not(what: str, reason: str) -> str:
    return f"the source could not provide {what}: {reason}"


def invalid(what: str, problem: str) -> str:
    return f"the source sent an invalid answer for {what}: {problem}"


def skip(
    reason: str,
    error: str = "DataRetrievalError",
    data_warnings: tuple[str, ...] = (),
) -> Record:
    attributes = {
        "ioc_id": FAULTY_IOC,
        "error": error,
        "reason": reason,
        "data_warnings": list(data_warnings),
    }
    return Record("WARNING", IOC_SKIPPED, attributes)


def done(closing: str, bundles: int = 1) -> WorkShown:
    return WorkShown("complete", in_error=False, messages=(closing,), bundles=bundles)


def failed(alert: str, closing: str, bundles: int = 0) -> WorkShown:
    return WorkShown(
        "complete", in_error=True, errors=(alert, closing), bundles=bundles
    )


def all_ingested(*records: Record) -> Outcome:
    return Outcome(0, records, done(ALL_INGESTED), COUNT, Window.MOVES)


def one_skipped(
    reason: str,
    *,
    retried: bool,
    error: str = "DataRetrievalError",
    data_warnings: tuple[str, ...] = (),
) -> Outcome:
    closing = f"{COUNT - 1} of {COUNT} IOCs ingested; 1 skipped (1 {error})"
    return Outcome(
        0,
        (skip(reason, error, data_warnings),),
        done(closing),
        COUNT - 1,
        Window.KEPT if retried else Window.MOVES,
    )


def id_list_failed(reason: str) -> Outcome:
    return Outcome(
        0,
        (Record("WARNING", SOURCE_DOWN, {"reason": reason}),),
        failed(f"Data source unavailable: {reason}", NONE_SEEN),
        0,
        Window.KEPT,
    )


def key_refused(reason: str, closing: str = NONE_SEEN) -> Outcome:
    return Outcome(
        0,
        (Record("WARNING", KEY_REFUSED, {"reason": reason}),),
        failed(f"API key refused: {reason}", closing),
        0,
        Window.KEPT,
    )


def config_refused(problem: str) -> Outcome:
    return Outcome(
        1,
        (),
        None,
        0,
        Window.UNTOUCHED,
        startup_error=f"example-connector: configuration error: {problem}",
    )


def setting_refused(name: str, setting: str, problem: str) -> Outcome:
    return config_refused(
        f"invalid configuration: {setting}: {problem} (set {name} or {setting} in config.yml)"
    )


def no_work_opened(error: str) -> Outcome:
    """workAdd failed: the run logs the error, asks the source nothing, keeps the window."""
    return Outcome(
        0, (Record("ERROR", UNEXPECTED, {"error": error}),), None, 0, Window.KEPT
    )


def platform_refused(logged: str) -> Outcome:
    """pycti logs why its health check failed at ERROR; the connector's line follows."""
    return Outcome(
        1,
        (Record("ERROR", logged),),
        None,
        0,
        Window.UNTOUCHED,
        startup_error=(
            f"example-connector: OpenCTI at http://127.0.0.1:{ANY}/ is unreachable or refused"
            " the connector (check OPENCTI_URL and OPENCTI_TOKEN): ValueError: OpenCTI API"
            " is not reachable. Waiting for OpenCTI API to start or check your"
            " configuration..."
        ),
    )
