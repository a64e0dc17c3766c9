"""The snippets' helper is made of pycti's real parts, so a call that fails in a connector
fails in a snippet: these tests pin each part to the pycti class it claims to be."""

from __future__ import annotations

import inspect
import json
import logging

import pytest
from pycti import OpenCTIApiClient, OpenCTIConnectorHelper
from pycti.api.opencti_api_work import OpenCTIApiWork
from pycti.utils import opencti_logger

from snippets.recording_helper import Operation, PlatformRefusedError, RecordingHelper


def test_the_logger_is_pycti_s_app_logger_built_as_the_helper_builds_it() -> None:
    helper = RecordingHelper()

    logger_class = type(helper.connector_logger)
    assert logger_class.__module__ == opencti_logger.__name__
    assert logger_class.__qualname__ == "logger.<locals>.AppLogger"
    assert helper.connector_logger.local_logger is logging.getLogger("connector")


def test_a_standard_library_call_fails_as_it_does_in_a_connector() -> None:
    helper = RecordingHelper()

    with pytest.raises(TypeError, match="unexpected keyword argument 'exc_info'"):
        helper.connector_logger.warning("IOC skipped", exc_info=True)  # noqa: LOG014
    with pytest.raises(TypeError, match="takes from 2 to 3 positional arguments"):
        helper.connector_logger.warning("IOC %s skipped: %s", "ioc-1", "why")
    with pytest.raises(AttributeError, match="exception"):
        helper.connector_logger.exception("x")  # noqa: LOG004


def test_the_work_api_is_pycti_s_and_records_what_opencti_would_receive() -> None:
    helper = RecordingHelper()
    work = helper.api.work

    work_id = work.initiate_work(helper.connect_id, "Source run")
    work.report_expectation(work_id, {"error": "boom", "source": "CONNECTOR"})
    work.to_processed(work_id, "Run ended", in_error=True)

    assert type(work) is OpenCTIApiWork
    assert work_id == "work-1"
    assert [operation.name for operation in helper.api.sent] == [
        "workAdd",
        "reportExpectation",
        "workToProcessed",
    ]
    assert helper.api.sent[2].variables == {
        "id": "work-1",
        "message": "Run ended",
        "inError": True,
    }
    assert helper.operations() == [
        "workAdd name='Source run'",
        "reportExpectation id='work-1' error='boom'",
        "workToProcessed id='work-1' message='Run ended' inError=True",
    ]


def test_query_takes_what_pycti_s_client_takes() -> None:
    """OpenCTIApiWork calls api.query(query, variables, True): same parameters."""
    ours = inspect.signature(RecordingHelper().api.query)
    theirs = inspect.signature(OpenCTIApiClient.query)
    assert list(ours.parameters) == list(theirs.parameters)[1:]


def test_a_refused_operation_raises_as_pycti_does_on_a_graphql_error() -> None:
    helper = RecordingHelper(refuse=frozenset({"workToProcessed"}))

    with pytest.raises(PlatformRefusedError, match="^workToProcessed: the platform"):
        helper.api.work.to_processed("work-1", "Run ended")

    assert issubclass(PlatformRefusedError, ValueError)
    assert [operation.name for operation in helper.api.sent] == ["workToProcessed"]


def test_report_expectation_swallows_a_refusal_as_pycti_does() -> None:
    helper = RecordingHelper(refuse=frozenset({"reportExpectation"}))

    helper.api.work.report_expectation("work-1", {"error": "x", "source": "CONNECTOR"})

    assert [operation.name for operation in helper.api.sent] == ["reportExpectation"]


def test_state_methods_are_the_helper_s_own() -> None:
    helper = RecordingHelper(state={"last_run": "2026-11-20T09:00:00Z"})

    assert RecordingHelper.get_state is OpenCTIConnectorHelper.get_state
    assert RecordingHelper.set_state is OpenCTIConnectorHelper.set_state
    assert helper.get_state() == {"last_run": "2026-11-20T09:00:00Z"}
    helper.set_state({})
    assert helper.get_state() is None  # pycti turns an empty state into None
    assert RecordingHelper().get_state() is None


def test_log_lines_show_level_message_meta_and_the_traceback_s_last_line() -> None:
    helper = RecordingHelper()
    logger = helper.connector_logger

    logger.debug("Raw answer", {"ioc_id": "ioc-1"})
    logger.warning("IOC skipped", {"ioc_id": "ioc-2", "reason": "bad value"})
    answer: dict[str, str] = {}
    try:
        answer["data"]
    except KeyError:
        logger.error("Run stopped")

    assert helper.logs.lines() == [
        'DEBUG Raw answer {"ioc_id": "ioc-1"}',
        'WARNING IOC skipped {"ioc_id": "ioc-2", "reason": "bad value"}',
        "ERROR Run stopped [traceback: KeyError: 'data']",
    ]


def test_pycti_s_default_level_drops_what_it_drops_in_a_connector() -> None:
    helper = RecordingHelper(log_level="error")

    helper.connector_logger.warning("IOC skipped", {"ioc_id": "ioc-2"})
    helper.connector_logger.error("Unexpected")

    assert helper.logs.lines() == ["ERROR Unexpected"]


def test_pycti_still_writes_each_record_as_json_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    helper = RecordingHelper()

    helper.connector_logger.warning("IOC skipped", {"ioc_id": "ioc-2"})

    last = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert (last["level"], last["name"], last["message"]) == (
        "WARNING",
        "connector",
        "IOC skipped",
    )
    assert last["attributes"] == {"ioc_id": "ioc-2"}


def test_an_operation_not_in_the_brief_list_shows_all_its_variables() -> None:
    assert str(Operation("GetConnector", {"id": "c-1"})) == "GetConnector {'id': 'c-1'}"


def test_long_log_lines_fold_between_meta_fields_to_fit_a_page() -> None:
    helper = RecordingHelper()
    meta = {"ioc_id": "ioc-2", "reason": "the source answered 404", "error": "E"}
    helper.connector_logger.warning("IOC skipped", meta)

    assert helper.logs.lines(width=40) == [
        'WARNING IOC skipped {"ioc_id": "ioc-2",',
        '    "reason": "the source answered 404",',
        '    "error": "E"}',
    ]
    assert len(helper.logs.lines()) == 1
