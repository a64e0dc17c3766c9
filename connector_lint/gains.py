"""What a connector's maintainer gains by fixing the breaches of each code, next to the codes
(``findings.CHECKS``): the one place the site's public connectors page reads it from, and the
build fails for a code on the page without it.

Each says what goes wrong at run time while the breach stays, and what works once it is
fixed, in terms an operator of OpenCTI sees: the platform's works, the logs, the exit status.
"""

from __future__ import annotations

GAINS: dict[str, str] = {
    "OCE001": (
        "pycti's logger called like the standard library's raises a `TypeError` or an "
        "`AttributeError` from inside the handler meant to report an error: the source's "
        "error is replaced by the logging call's, the rest of the handler (closing the work "
        "in error, saving the state) never runs, and the traceback in the log points at "
        "the log call. Fixed, the handler runs to its end: the error is logged with its "
        "`meta`, the work is marked in error, and the traceback is the real one."
    ),
    "OCE002": (
        'A work opened with no `to_processed` in a `finally` stays "in progress" forever '
        "in the platform's UI when the run fails or is stopped halfway: the connector's "
        "page shows runs that never end, a hung run looks like a running one, and the "
        "stuck works pile up run after run. Fixed, every run's work ends, processed or in "
        "error with its message, whatever the run ends with."
    ),
    "OCE003": (
        'A handler that returns `-1`, `""`, `False` or `None` hands its caller a value '
        "that looks like data: a score of -1 or an empty name is converted and sent to "
        "OpenCTI as if the source had said it, or the failure surfaces later, far from "
        "its cause, as a `TypeError` on `None`. Fixed, the failure raises where it "
        "happens, with its traceback; the run's handler reports it, and no made-up value "
        "reaches the platform."
    ),
    "OCE004": (
        "A handler that swallows `KeyboardInterrupt` or `SystemExit` makes Ctrl+C, and a "
        "`sys.exit()` from deeper code, do nothing: the loop goes on until the process is "
        "killed, and a kill runs no `finally`, so the work is left open and the state "
        "unsaved. Fixed, a stop takes effect at once, and the cleanup in `finally` runs "
        "on the way out."
    ),
    "OCE005": (
        "ERROR entries for errors the connector expects and handles (a skipped entity, a "
        "request that is retried, a missing field) drown the unexpected ones: an alert on "
        "ERROR either pages someone for nothing or is muted, and then the real failure "
        "goes unseen. Fixed, ERROR means one thing, an unexpected failure at the top of a "
        "run, and an alert on it is worth having; handled errors are WARNINGs with their "
        "reason."
    ),
    "OCE006": (
        "A handler written for one call's error also catches the same class raised by "
        "every other statement of a long `try`, and reports it with that call's "
        'diagnosis: a bug in the conversion logged as "error fetching", a failure to '
        "send taken for a source error and skipped. Fixed, each handler sees only the "
        "error it was written for, its message names the right cause, and a bug elsewhere "
        "raises instead of being handled as an expected failure."
    ),
    "OCE007": (
        "An `except` clause after a wider one never runs: the retry written for a rate "
        "limit, or the skip written for one bad entity, is never taken, and the wider "
        "handler treats the error as something else. Fixed, the specific handling "
        "happens when its error does, or the dead handler goes and the code says what "
        "it really does."
    ),
    "OCE008": (
        "A data source client or converter that calls `sys.exit()` ends the whole "
        "connector on one failed request: the run's top never sees the error, so it is "
        "not reported to OpenCTI, the work is not closed in error, and the connector is "
        "down until something restarts it. Fixed, the error rises to the layer that decides: the run's "
        "handler reports it, closes the work in error, and the scheduler runs again at "
        "the next period."
    ),
    "OCE009": (
        "A traceback on a WARNING makes a handled skip read like a crash: operators "
        "escalate entries that are working as intended, and the reason for the skip is "
        "buried on the trace's last line. Fixed, a handled error is one line with its "
        "reason in the record's fields, and a traceback in the log means a real failure."
    ),
    "OCE010": (
        "A stop answered with status 0 tells Docker, systemd or Kubernetes that the run "
        "went well: a restart policy of `on-failure` does not restart the connector, a "
        "Kubernetes Job counts the cut-short run as succeeded, and a `sys.exit(1)` from "
        "deeper code becomes a clean exit. Fixed, a stop ends with the signal's status "
        "(130 after Ctrl+C, 143 after SIGTERM), so the orchestrator restarts it as its "
        "policy says and the exit status tells what happened."
    ),
}
