"""What the fault matrix's short clock rests on: pycti's request timeout, as pycti has it.

The scenario ``platform_times_out_at_start`` runs with pycti's clients given a short timeout
(``short_pycti_timeout.py``) instead of waiting five minutes. That is faithful only while
pycti's default is the one the page states and the connector helper leaves it be: both are
checked here against the pycti installed, so a release that changes either fails this test.
"""

from __future__ import annotations

import ast
import inspect

import pycti
import pytest
from pycti import OpenCTIApiClient

from connector_sandbox.fault_matrix import PYCTI_REQUESTS_TIMEOUT_SECONDS
from tests.reliability.short_pycti_timeout import (
    SHORT_TIMEOUT_SECONDS,
    shorten_pycti_timeout,
    shortened_faults,
)

TIMEOUT_PARAMETER = "requests_timeout"


def test_pycti_s_clients_wait_the_timeout_the_page_states() -> None:
    parameter = inspect.signature(OpenCTIApiClient).parameters[TIMEOUT_PARAMETER]

    assert parameter.default == PYCTI_REQUESTS_TIMEOUT_SECONDS


def test_the_connector_helper_makes_its_clients_with_the_default_timeout() -> None:
    source = inspect.getsource(pycti.connector.opencti_connector_helper)
    names = list(inspect.signature(OpenCTIApiClient).parameters)
    # A positional argument in the timeout's place would set it too.
    timeout_position = names.index(TIMEOUT_PARAMETER)
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == OpenCTIApiClient.__name__
    ]

    assert calls, "the helper makes no OpenCTIApiClient: is this still pycti's helper?"
    for call in calls:
        assert TIMEOUT_PARAMETER not in {keyword.arg for keyword in call.keywords}
        # Nor a **mapping, which could hold it.
        assert all(keyword.arg is not None for keyword in call.keywords)
        assert len(call.args) < timeout_position


def test_the_short_clock_gives_every_new_client_the_short_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Put back as it was at the end of the test: the change is for the forked runs alone.
    monkeypatch.setattr(OpenCTIApiClient, "__init__", OpenCTIApiClient.__init__)

    shorten_pycti_timeout()
    client = OpenCTIApiClient(
        "http://127.0.0.1:9", "a-token", perform_health_check=False
    )
    told = OpenCTIApiClient(
        "http://127.0.0.1:9", "a-token", perform_health_check=False, requests_timeout=7
    )

    assert client.session_requests_timeout == SHORT_TIMEOUT_SECONDS
    assert told.session_requests_timeout == 7


def test_only_a_latency_past_pycti_s_timeout_moves_to_the_short_clock() -> None:
    late = {"name": "latency", "operation": "healthCheck", "seconds": 301, "times": 1}
    slow = {"name": "latency", "operation": "*", "seconds": 0.3}
    refusal = {"name": "lock_error", "operation": "workToProcessed"}

    assert shortened_faults((late, slow, refusal)) == (
        {**late, "seconds": SHORT_TIMEOUT_SECONDS + 1},
        slow,
        refusal,
    )
