"""The example connector with pycti's request timeout shortened, for the scenario that waits it
out: ``python -m tests.reliability.short_pycti_timeout``.

pycti's clients wait ``PYCTI_REQUESTS_TIMEOUT_SECONDS`` (300 s) for an answer, and the
connector helper can't shorten it: run as it is, the scenario spends five minutes idle. Here
every ``OpenCTIApiClient`` gets ``SHORT_TIMEOUT_SECONDS`` instead, the default it would have had,
and the test moves the platform's late answer by as much (``shortened_faults``): the connector
still meets a read timeout of pycti's own, in pycti's own code, and handles it as it would at
300 s. That the default is 300 s, and that the helper leaves it be, is checked against pycti
itself (``test_pycti_timeout.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from pycti import OpenCTIApiClient

from connector_sandbox.fault_matrix import PYCTI_REQUESTS_TIMEOUT_SECONDS
from connector_sandbox.fork_server import CONNECTOR_MODULE

SHORT_TIMEOUT_SECONDS = 2.0
MODULE = __name__


def shorten_pycti_timeout(seconds: float = SHORT_TIMEOUT_SECONDS) -> None:
    """Every client made from now on waits ``seconds``, unless its caller says otherwise."""
    OpenCTIApiClient.__init__ = functools.partialmethod(
        OpenCTIApiClient.__init__, requests_timeout=seconds
    )


def shortened_faults(
    faults: tuple[Mapping[str, object], ...],
) -> tuple[Mapping[str, object], ...]:
    """The platform faults on the short clock: a latency past pycti's timeout is past the
    short one by as much; every other fault as it is."""
    return tuple(
        {
            **fault,
            "seconds": seconds - PYCTI_REQUESTS_TIMEOUT_SECONDS + SHORT_TIMEOUT_SECONDS,
        }
        if fault.get("name") == "latency"
        and (seconds := float(str(fault.get("seconds", 0))))
        > PYCTI_REQUESTS_TIMEOUT_SECONDS
        else fault
        for fault in faults
    )


if __name__ == "__main__":
    import runpy

    shorten_pycti_timeout()
    runpy.run_module(CONNECTOR_MODULE, run_name="__main__", alter_sys=True)
