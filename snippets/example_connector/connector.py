"""The run loop, on pycti's ``OpenCTIConnectorHelper``.

One run: open a work, fetch the ids created since the last complete run, process each id on
its own (a failing IOC is skipped with a WARNING, the others go on), send bundles in batches,
and in ``finally`` close the work and record the state, whatever ended the run.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

import requests
from pycti import OpenCTIConnectorHelper

from snippets.example_connector.bounds import BoundedLogger, bounded
from snippets.example_connector.client_api import ClientAPI
from snippets.example_connector.config import ConnectorConfig
from snippets.example_connector.converter import ConverterToStix
from snippets.example_connector.data_warnings import PermissiveValidationWarning
from snippets.example_connector.errors import (
    ApiKeyRefusedError,
    DataRetrievalError,
    TooManyIdsError,
    UseCaseError,
)
from snippets.example_connector.run_report import RunReport

T = TypeVar("T")
SOURCE_DOWN = "The source is unavailable; the next run will try again"
# Only an operator can fix this one: the message names the setting.
KEY_REFUSED = "The source refused the API key; fix IOC_SOURCE_API_KEY"
# A window is halved while its ids don't fit one answer, down to this length: the
# source's windows are counted in whole seconds.
SHORTEST_WINDOW = datetime.timedelta(seconds=1)
# A work message or an alert is shown in OpenCTI's UI: a few lines at most.
MAX_WORK_MESSAGE = 1000
# The state key holding the id of a work this run opened and has not closed yet.
OPEN_WORK = "open_work_id"


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``itertools.batched`` arrived in Python 3.12; the project supports 3.11."""
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


def _data_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [
        f"{w.category.__name__}: {w.message}"
        for w in caught
        if issubclass(w.category, PermissiveValidationWarning)
    ]


class Connector:
    """Imports the source's IOCs into OpenCTI, one work per run."""

    def __init__(
        self,
        config: ConnectorConfig,
        helper: OpenCTIConnectorHelper,
        client: ClientAPI,
        converter: ConverterToStix,
    ) -> None:
        self.config = config
        self.helper = helper
        self.client = client
        self.converter = converter
        self.logger = BoundedLogger(helper.connector_logger)
        self.work_id: str | None = None

    def run(self) -> None:
        """Run now, then every ``duration_period`` (once with run_and_terminate)."""
        period = self.config.connector.model_dump()["duration_period"]
        self.helper.schedule_iso(message_callback=self.process, duration_period=period)

    def process(self) -> None:
        """One run. Only KeyboardInterrupt and SystemExit leave it, after cleanup."""
        run_start = datetime.datetime.now(datetime.UTC)
        self.work_id = None
        state = self.helper.get_state() or {}
        window_start = self._window_start(state)
        report = RunReport()
        in_error = False
        self._close_work_left_open(state)
        try:
            # Multipart: the work gets one bundle per batch, and must wait for all of them.
            self.work_id = self.helper.api.work.initiate_work(  # (1)!
                self.helper.connect_id,
                f"{self.config.connector.name} run",
                is_multipart=True,
            )
            self._remember_open_work(state)
            self._ingest_window(window_start, run_start, report)
        except DataRetrievalError as err:  # (2)!
            in_error = True
            refused = isinstance(err, ApiKeyRefusedError)
            self.logger.warning(
                KEY_REFUSED if refused else SOURCE_DOWN,
                {"reason": str(err), "cause": repr(err.__cause__)},
            )
            alert = "API key refused" if refused else "Data source unavailable"
            self._alert(f"{alert}: {err}")
        except (KeyboardInterrupt, SystemExit):  # (3)!
            in_error = True
            self._alert("Connector stopped by user or system before the run finished")
            raise
        # The one blind except: the top of a run (ERR-014). pycti's error() logs the
        # traceback itself, which ruff can't know.
        except Exception as err:  # noqa: BLE001
            in_error = True  # (4)!
            self.logger.error(
                "Unexpected error; the run is stopped", {"error": repr(err)}
            )
            self._alert(f"Unexpected error: {err!r}")
        finally:  # (5)!
            self._finish(state, run_start, report, in_error=in_error)

    def _window_start(self, state: dict[str, Any]) -> datetime.datetime:
        saved = state.get("last_ingested")
        if saved is None:
            return self.config.ioc_source.import_start
        try:
            return datetime.datetime.fromisoformat(str(saved))
        except ValueError:
            self.logger.warning(
                "Saved state is unreadable; starting from import_start",
                {"last_ingested": str(saved)[:64]},
            )
            return self.config.ioc_source.import_start

    def _ingest_window(
        self, start: datetime.datetime, end: datetime.datetime, report: RunReport
    ) -> None:
        for ids in self._id_lists(start, end, report):
            for batch in batched(ids, self.config.connector.batch_size):
                objects = [obj for ioc_id in batch for obj in self._etl(ioc_id, report)]
                report.ingested += self._send(objects)
                self.logger.info(
                    "Batch sent",
                    {
                        "ingested": report.ingested,
                        "skipped": report.skipped_total,
                        "of": report.ids_seen,
                    },
                )

    def _id_lists(
        self, start: datetime.datetime, end: datetime.datetime, report: RunReport
    ) -> Iterator[list[str]]:
        """The ids of [start, end), oldest first, in lists of at most the setting's size:
        a window with more is asked for in halves, so memory never grows with the source."""
        windows = [(start, end)]
        while windows:
            first, last = windows.pop()
            try:
                ids = self.client.get_ids(first, last)
            except TooManyIdsError:
                # The source is asked in whole seconds: halves are whole seconds too.
                seconds = (last - first) // SHORTEST_WINDOW
                if seconds < 2:
                    raise
                middle = first + seconds // 2 * SHORTEST_WINDOW
                windows += [(middle, last), (first, middle)]  # the older half first
                self.logger.info(
                    "Too many ids for one answer; asking for each half of the window",
                    {"start": str(first), "end": str(last)},
                )
                continue
            # Counted as soon as known: a stop from here on reports them as not processed.
            report.ids_seen += len(ids)
            self.logger.info(
                "IOCs to process",
                {"count": len(ids), "start": str(first), "end": str(last)},
            )
            yield ids

    def _etl(self, ioc_id: str, report: RunReport) -> list[Any]:
        """The STIX objects for one IOC, or none when it is skipped.

        Each IOC ends in one record: the skip WARNING (with any data warnings in its meta),
        or, when ingested, one WARNING per data warning.
        """
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PermissiveValidationWarning)
            try:
                ioc = self.client.get_ioc(ioc_id)
                pdf = self.client.get_pdf(ioc_id)
                objects = self.converter.convert_ioc(ioc, pdf)
            except ApiKeyRefusedError:
                raise  # every next IOC would be refused too: the run stops
            except (DataRetrievalError, UseCaseError) as err:  # (6)!
                report.skip(err)
                self.logger.warning(
                    "IOC skipped",
                    {
                        "ioc_id": ioc_id,
                        "reason": str(err),
                        "error": type(err).__name__,
                        "data_warnings": _data_warnings(caught),
                    },
                )
                self._stop_if_the_source_keeps_failing(report, err)
                return []
        report.fetched()
        for detail in _data_warnings(caught):
            self.logger.warning(
                "The source's data is not as documented",
                {"ioc_id": ioc_id, "detail": detail},
            )
        return objects

    def _stop_if_the_source_keeps_failing(
        self, report: RunReport, error: DataRetrievalError | UseCaseError
    ) -> None:
        """A circuit breaker: a source that fails IOC after IOC (a 429 that never ends, a
        503 that stays) is not asked again for the rest of this run."""
        limit = self.config.ioc_source.max_failures_in_a_row
        if report.failures_in_a_row >= limit:
            raise DataRetrievalError(
                f"{limit} IOCs in a row failed for a reason that may pass; the last: "
                f"{error}",
                retryable=True,
            ) from error

    def _send(self, objects: list[Any]) -> int:
        """Send one bundle; returns how many IOCs it carried (one Indicator each)."""
        if not objects:
            return 0
        bundle = self.helper.stix2_create_bundle([self.converter.author, *objects])
        self.helper.send_stix2_bundle(
            bundle, work_id=self.work_id, cleanup_inconsistent_bundle=True
        )
        return sum(1 for obj in objects if obj.type == "indicator")

    def _alert(self, message: str) -> None:
        """Show the error on the work in OpenCTI's UI (pycti swallows errors in here)."""
        if self.work_id is not None:
            self.helper.api.work.report_expectation(
                work_id=self.work_id,
                error={
                    "error": bounded(message, MAX_WORK_MESSAGE),
                    "source": "CONNECTOR",
                },
            )

    def _close_work_left_open(self, state: dict[str, Any]) -> None:
        """A work left "in progress" never ends by itself: close the last run's."""
        left_open = state.get(OPEN_WORK)
        if left_open is None:
            return
        self.logger.info(
            "Closing the work the last run left open", {"work_id": left_open}
        )
        message = "Closed by the next run: this run could not close it"
        self._close_work(str(left_open), message, in_error=True, state=state)

    def _remember_open_work(self, state: dict[str, Any]) -> None:
        """Save the work's id at once: if this run can't close it, the next one will."""
        state[OPEN_WORK] = self.work_id
        self.helper.set_state(state)
        self.helper.force_ping()

    def _close_work(
        self, work_id: str, message: str, *, in_error: bool, state: dict[str, Any]
    ) -> None:
        """Close the work; when the platform can't take it, its id stays in ``state``."""
        try:
            self.helper.api.work.to_processed(
                work_id=work_id, message=message, in_error=in_error
            )
        except (ValueError, requests.RequestException) as err:
            # The platform refused or can't be reached: the work stays open there. The
            # error is expected and handled, so a WARNING (ERR-013), its reason in meta.
            self.logger.warning(
                "Could not close the work; it stays in progress in OpenCTI",
                {"work_id": work_id, "reason": f"{type(err).__name__}: {err}"},
            )
        else:
            state.pop(OPEN_WORK, None)

    def _finish(
        self,
        state: dict[str, Any],
        run_start: datetime.datetime,
        report: RunReport,
        *,
        in_error: bool,
    ) -> None:
        new_state = {**state, "last_run": run_start.isoformat()}
        # The window moves on only when every id in it was handled for good.
        if not in_error and report.retry_later == 0 and report.unaccounted == 0:  # (7)!
            new_state["last_ingested"] = run_start.isoformat()
        if self.work_id is not None:
            self._close_work(
                self.work_id,
                report.closing_message(),
                in_error=in_error,
                state=new_state,
            )
        self.helper.set_state(new_state)
        self.helper.force_ping()
        self.logger.info(
            "Run finished",
            {
                "ids_seen": report.ids_seen,
                "ingested": report.ingested,
                "skipped": dict(report.skipped),
                "retry_later": report.retry_later,
                "in_error": in_error,
                "state": new_state,
            },
        )
        self.work_id = None
