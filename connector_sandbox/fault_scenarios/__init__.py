"""The rows of the fault matrix (see ``fault_matrix``), one ``Scenario`` per fault.

The tests run ``SCENARIOS`` in this order, and the "Failure modes" page lists them the same way.
"""

from __future__ import annotations

from connector_sandbox.fault_scenarios.hostile import HOSTILE_SCENARIOS
from connector_sandbox.fault_scenarios.outcomes import NOT_CLOSED
from connector_sandbox.fault_scenarios.platform import PLATFORM_SCENARIOS
from connector_sandbox.fault_scenarios.platform_errors import PLATFORM_ERROR_SCENARIOS
from connector_sandbox.fault_scenarios.process_and_config import (
    CONFIG_SCENARIOS,
    PROCESS_SCENARIOS,
)
from connector_sandbox.fault_scenarios.source_payloads import PAYLOAD_SCENARIOS
from connector_sandbox.fault_scenarios.source_transport import TRANSPORT_SCENARIOS

__all__ = ["NOT_CLOSED", "SCENARIOS"]

SCENARIOS = (
    *TRANSPORT_SCENARIOS,
    *PAYLOAD_SCENARIOS,
    *HOSTILE_SCENARIOS,
    *PLATFORM_SCENARIOS,
    *PLATFORM_ERROR_SCENARIOS,
    *PROCESS_SCENARIOS,
    *CONFIG_SCENARIOS,
)
