"""The run's counters and the work's closing message built from them."""

from __future__ import annotations

from snippets.example_connector.errors import (
    DataRetrievalError,
    UnsupportedTypeError,
)
from snippets.example_connector.run_report import RunReport


def test_every_id_is_accounted_for() -> None:
    report = RunReport(ids_seen=5, ingested=2)
    report.skip(UnsupportedTypeError("type 'url'"))
    report.skip(DataRetrievalError("404", retryable=False))
    assert report.skipped_total == 2
    assert report.unaccounted == 1
    assert report.retry_later == 0
    assert report.closing_message() == (
        "2 of 5 IOCs ingested; 2 skipped (1 DataRetrievalError, 1 UnsupportedTypeError); "
        "1 not processed"
    )


def test_retryable_skips_are_counted_for_the_next_run() -> None:
    report = RunReport(ids_seen=1)
    report.skip(DataRetrievalError("503", retryable=True))
    assert report.retry_later == 1
    assert report.closing_message() == (
        "0 of 1 IOCs ingested; 1 skipped (1 DataRetrievalError)"
    )


def test_clean_run_message() -> None:
    assert RunReport(ids_seen=3, ingested=3).closing_message() == "3 of 3 IOCs ingested"
