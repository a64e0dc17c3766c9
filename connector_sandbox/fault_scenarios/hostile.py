"""A hostile source: answers that never end, redirects, odd headers, bombs, odd ids, and a
source that fails IOC after IOC or lists more ids than one answer may hold.

The wire faults trickle 0.1 s apart, well within the read timeout (0.5 s): only the request's
deadline, three timeouts (1.5 s), ends them.
"""

from __future__ import annotations

from dataclasses import replace

from connector_sandbox.fault_matrix import (
    ANY,
    BASE_SETTINGS,
    COUNT,
    FAULTY_IOC,
    Kind,
    Outcome,
    Record,
    Scenario,
    Window,
)
from connector_sandbox.fault_scenarios.outcomes import (
    ALL_INGESTED,
    IOC_SKIPPED,
    SOURCE_DOWN,
    THE_IDS,
    THE_IOC,
    all_ingested,
    could_not,
    done,
    failed,
    id_list_failed,
    on_ids,
    on_ioc,
    one_skipped,
    skip,
)
from connector_sandbox.source_replies import odd_ids

# The pause between the pieces of the wire faults that trickle.
PAUSE = 0.1
# The connector's deadline for a whole request: DEADLINE_TIMEOUTS (3) read timeouts.
DEADLINE_SECONDS = 3 * float(BASE_SETTINGS["IOC_SOURCE_TIMEOUT_SECONDS"])
DEADLINE = f"DeadlineExceededError: no complete answer in {DEADLINE_SECONDS:g}s"
UNUSABLE_HEADER = "The source sent a header that can't be used; it is ignored"
REPEATED_IDS = "The source listed ids more than once; each is fetched once"
THE_IOC_PATH = f"/iocs/{FAULTY_IOC}"
# What the odd_ids fault adds to the id list; the last one is the list's first id again.
ODD_IDS = tuple(odd_ids(["ioc-0001"])[:-1])
# The limit of the id list's body: 100,000 ids (IOC_SOURCE_MAX_IDS_PER_REQUEST's default)
# of 132 bytes each, and 64 more.
ID_LIST_LIMIT = 100_000 * 132 + 64
# redirect_away's Location: the same path and query on the other origin's port.
OTHER_ORIGIN = f"http://127.0.0.1:{ANY}"
# The connector echoes at most this many characters of a value of the source's.
MAX_ECHO = 1000
# Small settings, so that the circuit breaker and the halving show with 8 IOCs.
MAX_FAILURES_IN_A_ROW = 3
MAX_IDS_PER_REQUEST = 3

# (name, fault in words for one IOC, the same for the id list)
_NEVER_ENDING = (
    (
        "trickle_headers",
        "status line and headers sent 4 bytes at a time",
        "The status line and headers of",
    ),
    (
        "trickle_chunked",
        "chunked body whose chunk-size lines come a byte at a time",
        "A chunked body whose chunk-size lines come a byte at a time for",
    ),
    (
        "endless_trailers",
        "whole chunked body, then trailer lines that never end",
        "The whole chunked body, then trailer lines that never end, for",
    ),
    (
        "redirect_trickle",
        "302 whose 4 KiB body comes 8 bytes at a time",
        "A 302 whose 4 KiB body comes 8 bytes at a time for",
    ),
)
_PACE = f"{PAUSE:g} s apart"


def _never_ending(name: str, one_ioc: str, id_list: str) -> tuple[Scenario, Scenario]:
    on_one = Scenario(
        f"source_{name}_on_one_ioc",
        Kind.SOURCE,
        f"One IOC: {one_ioc}, {_PACE}; no read ever times out",
        f"Ends the request at its deadline (3 timeouts, {DEADLINE_SECONDS:g} s) and does not"
        " send it again in this run: skips the IOC with a WARNING; the others go on. The"
        " next run asks again.",
        _with_requests(
            one_skipped(could_not(THE_IOC, DEADLINE), retried=True),
            {THE_IOC_PATH: 1},
        ),
        source_faults=(on_ioc(name, seconds=PAUSE),),
        rerun=True,
    )
    on_list = Scenario(
        f"source_{name}_on_the_id_list",
        Kind.SOURCE,
        f"{id_list} the id list, {_PACE}",
        f"Ends the request at its deadline ({DEADLINE_SECONDS:g} s) and does not send it"
        " again in this run: imports nothing and closes the work in error. The next run asks"
        " again.",
        _with_requests(id_list_failed(could_not(THE_IDS, DEADLINE)), {"/iocs": 1}),
        source_faults=(on_ids(name, seconds=PAUSE),),
        rerun=True,
    )
    return on_one, on_list


def _with_requests(outcome: Outcome, requests: dict[str, int]) -> Outcome:
    return replace(outcome, source_requests=requests)


def _unusable(header: str) -> Record:
    return Record("WARNING", UNUSABLE_HEADER, {"header": header, "value": "\u00b2"})


def _refused_id(ioc_id: str) -> Record:
    """The skip of an id the connector never asks for: not one segment of a URL path."""
    refused = "the source listed an id that can't be asked for: "
    rule = " (at most 128 letters, digits and ._~:@+=-, not only dots)"
    if len(ioc_id) > MAX_ECHO:
        # The log shows its first MAX_ECHO characters and its length; the reason, cut at
        # MAX_ECHO characters too, shows only that start.
        shown = f"{ioc_id[:8]}{ANY}... ({len(ioc_id)} characters)"
        reason = f"{refused}'{ioc_id[:8]}{ANY}"
    else:
        shown = ioc_id
        reason = f"{refused}'{ioc_id}'{rule}"
    attributes = {
        "ioc_id": shown,
        "error": "DataRetrievalError",
        "reason": reason,
        "data_warnings": [],
    }
    return Record("WARNING", IOC_SKIPPED, attributes)


_ODD_IDS_SEEN = COUNT + len(ODD_IDS)
TOO_MANY_REQUESTS = could_not(THE_IOC, "TransientHTTPError: 429 Too Many Requests")
BREAKER = (
    f"{MAX_FAILURES_IN_A_ROW} IOCs in a row failed for a reason that may pass; the last: "
    + could_not(THE_IOC, "TransientHTTPError: 503 Service Unavailable")
)

HOSTILE_SCENARIOS = (
    *(
        scenario
        for name, one_ioc, id_list in _NEVER_ENDING
        for scenario in _never_ending(name, one_ioc, id_list)
    ),
    Scenario(
        "source_redirect_away_on_one_ioc",
        Kind.SOURCE,
        "A 302 for one IOC to the same path on another origin, which answers with data of its"
        " own",
        "Does not follow it (the API key would go along): nothing reaches the other origin."
        " Skips the IOC with a WARNING; the others go on. Asking again would not help.",
        _with_requests(
            one_skipped(
                could_not(
                    THE_IOC,
                    f"RedirectRefusedError: 302 redirect to {OTHER_ORIGIN}{THE_IOC_PATH},"
                    " not followed",
                ),
                retried=False,
            ),
            {THE_IOC_PATH: 1},
        ),
        source_faults=(on_ioc("redirect_away"),),
    ),
    Scenario(
        "source_redirect_away_on_the_id_list",
        Kind.SOURCE,
        "A 302 for the id list to another origin, which lists ids of its own",
        "Does not follow it: nothing reaches the other origin. Imports nothing and closes"
        " the work in error. The next run asks again.",
        _with_requests(
            id_list_failed(
                could_not(
                    THE_IDS,
                    f"RedirectRefusedError: 302 redirect to {OTHER_ORIGIN}/iocs?start={ANY},"
                    " not followed",
                )
            ),
            {"/iocs": 1},
        ),
        source_faults=(on_ids("redirect_away"),),
        rerun=True,
    ),
    Scenario(
        "source_odd_retry_after_on_one_ioc",
        Kind.SOURCE,
        "429 on one IOC, every time, with Retry-After: ² (a superscript two: isdigit() is"
        " true, int() fails)",
        "Ignores the header with one WARNING, waits its own back-off instead, retries, then"
        " skips the IOC with a WARNING; the others go on. The next run asks again.",
        replace(
            one_skipped(TOO_MANY_REQUESTS, retried=True),
            records=(
                _unusable("Retry-After"),
                skip(TOO_MANY_REQUESTS),
                # Its own back-off: the hint is unusable.
                Record(
                    "DEBUG",
                    "Retrying a request to the source",
                    {"attempt": 1, "reason": "429 Too Many Requests"},
                ),
            ),
            source_requests={THE_IOC_PATH: 2},
        ),
        source_faults=(on_ioc("odd_retry_after"),),
        rerun=True,
    ),
    Scenario(
        "source_odd_retry_after_on_every_ioc",
        Kind.SOURCE,
        "429 with Retry-After: ² on every IOC, every time",
        "One WARNING for the header in the whole run, not one per answer; each IOC retried,"
        " then skipped with a WARNING of its own. The next run asks again.",
        Outcome(
            0,
            (
                _unusable("Retry-After"),
                Record(
                    "WARNING",
                    IOC_SKIPPED,
                    {
                        "error": "DataRetrievalError",
                        "reason": f"{ANY}TransientHTTPError: 429 Too Many Requests",
                    },
                    count=COUNT,
                ),
            ),
            done(
                f"0 of {COUNT} IOCs ingested; {COUNT} skipped ({COUNT} DataRetrievalError)",
                0,
            ),
            0,
            Window.KEPT,
            source_requests={f"/iocs/ioc-{n:04d}": 2 for n in range(1, COUNT + 1)},
        ),
        source_faults=({"name": "odd_retry_after", "endpoint": "ioc", "rate": 1.0},),
        rerun=True,
    ),
    Scenario(
        "source_odd_content_length_on_one_ioc",
        Kind.SOURCE,
        "One IOC with Content-Length: ², its body, then the connection closed",
        "Ignores the header with one WARNING, reads the body to the close (within the size"
        " limit), and ingests the IOC.",
        all_ingested(_unusable("Content-Length")),
        source_faults=(on_ioc("odd_content_length"),),
    ),
    Scenario(
        "source_odd_content_length_on_the_id_list",
        Kind.SOURCE,
        "The id list with Content-Length: ², then the connection closed",
        "Ignores the header with one WARNING, reads the list to the close, and runs as"
        " usual.",
        all_ingested(_unusable("Content-Length")),
        source_faults=(on_ids("odd_content_length"),),
    ),
    Scenario(
        "source_gzip_bomb_on_one_ioc",
        Kind.SOURCE,
        "One IOC as a gzip body of 200 KiB that expands to 200 MiB",
        "Stops reading once the body expands past 1 MiB, never holding more, and skips the"
        " IOC with a WARNING; the others go on. Asking again would not help.",
        _with_requests(
            one_skipped(
                could_not(
                    THE_IOC,
                    "ResponseTooLargeError: body over the limit of 1048576 bytes",
                ),
                retried=False,
            ),
            {THE_IOC_PATH: 1},
        ),
        source_faults=(on_ioc("gzip_bomb"),),
    ),
    Scenario(
        "source_gzip_bomb_on_the_id_list",
        Kind.SOURCE,
        "The id list as a gzip body that expands to 200 MiB, every time",
        "Stops reading once it expands past the id list's limit (100,000 ids,"
        " IOC_SOURCE_MAX_IDS_PER_REQUEST), takes it for too many ids and asks for each half"
        " of the window (INFO), down to 1 s: one request per halving, about 25 for a year."
        " Then imports nothing and closes the work in error. The next run asks again.",
        id_list_failed(
            # The last window is the first whole second of the import.
            "the IOC ids between 2026-01-01T00:00:00Z and 2026-01-01T00:00:01Z: more than"
            f" 100000 ids, or an answer over the {ID_LIST_LIMIT} bytes they take"
        ),
        source_faults=(on_ids("gzip_bomb"),),
        rerun=True,
    ),
    Scenario(
        "source_odd_ids",
        Kind.SOURCE,
        'An id list with ".", "..", "a/b", "%2e%2e", an id of 10,000 characters, and'
        " its first id again",
        "Never asks for an id that is not one segment of a URL path: skips each of the five"
        f" with a WARNING. Fetches the repeated id once (INFO) and ingests the {COUNT} IOCs.",
        Outcome(
            0,
            (
                Record(
                    "INFO",
                    REPEATED_IDS,
                    {"listed": _ODD_IDS_SEEN + 1, "distinct": _ODD_IDS_SEEN},
                ),
                *(_refused_id(ioc_id) for ioc_id in ODD_IDS),
            ),
            done(
                f"{COUNT} of {_ODD_IDS_SEEN} IOCs ingested; {len(ODD_IDS)} skipped"
                f" ({len(ODD_IDS)} DataRetrievalError)"
            ),
            COUNT,
            Window.MOVES,
            # The repeated id is asked for once; the dot segments, once a client removes
            # them, would ask for /iocs/ or /.
            source_requests={
                "/iocs/ioc-0001": 1,
                "/pdf/ioc-0001": 1,
                "/iocs/": 0,
                "/": 0,
                "/iocs/a/b": 0,
                "/iocs/.": 0,
                "/iocs/..": 0,
            },
        ),
        source_faults=(on_ids("odd_ids"),),
    ),
    Scenario(
        "source_huge_type",
        Kind.SOURCE,
        "One IOC whose type is 500,000 characters long",
        "Skips the IOC with a WARNING that shows the type's first 1,000 characters, in a"
        " record of under 4 KB; asking again would not help.",
        Outcome(
            0,
            (
                Record(
                    "WARNING",
                    IOC_SKIPPED,
                    {
                        "ioc_id": FAULTY_IOC,
                        "error": "UnsupportedTypeError",
                        "reason": f"IOC {FAULTY_IOC} has type 'domaindomain{ANY}",
                        "data_warnings": "[\"UnexpectedValueWarning: field 'type' has"
                        f" unexpected value 'domaindomain{ANY}\"]",
                    },
                ),
            ),
            done(
                f"{COUNT - 1} of {COUNT} IOCs ingested; 1 skipped (1 UnsupportedTypeError)"
            ),
            COUNT - 1,
            Window.MOVES,
        ),
        source_faults=(on_ioc("huge_type"),),
    ),
    Scenario(
        "source_503_on_every_ioc_stops_the_run",
        Kind.SOURCE,
        "503 on every IOC, every time, with"
        f" IOC_SOURCE_MAX_FAILURES_IN_A_ROW={MAX_FAILURES_IN_A_ROW}",
        f"Stops asking after {MAX_FAILURES_IN_A_ROW} IOCs in a row skipped for a reason that"
        " may pass, each with a WARNING, and closes the work in error; the IOCs it did not"
        " ask for are counted as not processed. The next run asks again.",
        Outcome(
            0,
            (
                Record(
                    "WARNING",
                    IOC_SKIPPED,
                    {
                        "error": "DataRetrievalError",
                        "reason": f"{ANY}TransientHTTPError: 503 Service Unavailable",
                    },
                    count=MAX_FAILURES_IN_A_ROW,
                ),
                Record("WARNING", SOURCE_DOWN, {"reason": BREAKER}),
            ),
            failed(
                f"Data source unavailable: {BREAKER}",
                f"0 of {COUNT} IOCs ingested; {MAX_FAILURES_IN_A_ROW} skipped"
                f" ({MAX_FAILURES_IN_A_ROW} DataRetrievalError);"
                f" {COUNT - MAX_FAILURES_IN_A_ROW} not processed",
            ),
            0,
            Window.KEPT,
            # Each of the first three asked twice, the next one never.
            source_requests={THE_IOC_PATH: 2, "/iocs/ioc-0004": 0},
        ),
        source_faults=({"name": "http_503", "endpoint": "ioc", "rate": 1.0},),
        settings={"IOC_SOURCE_MAX_FAILURES_IN_A_ROW": str(MAX_FAILURES_IN_A_ROW)},
        rerun=True,
    ),
    Scenario(
        "source_more_ids_than_one_answer_may_hold",
        Kind.SOURCE,
        f"{COUNT} IOCs in the window, IOC_SOURCE_MAX_IDS_PER_REQUEST={MAX_IDS_PER_REQUEST}",
        "Asks for each half of the window (INFO), and halves again, until no answer holds"
        f" more than {MAX_IDS_PER_REQUEST} ids; ingests every IOC once. With"
        " CONNECTOR_BATCH_SIZE=1, one bundle per IOC, however the window was cut.",
        Outcome(0, (), done(ALL_INGESTED, COUNT), COUNT, Window.MOVES),
        settings={
            "IOC_SOURCE_MAX_IDS_PER_REQUEST": str(MAX_IDS_PER_REQUEST),
            "CONNECTOR_BATCH_SIZE": "1",
        },
    ),
)
