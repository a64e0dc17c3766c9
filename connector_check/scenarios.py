"""What connector-check does to a connector: one ``Scenario`` per situation, in run order.

A scenario knows nothing of the connector's source: it changes the platform (a fault, a
token, a stop) or sends a signal. Mid-run events are deterministic: a signal is sent when the
connector, having opened its work, next calls the platform; the platform goes down when it
sends its first bundle; and that call waits until the event has happened
(``connector_check.run``).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

# The OpenCTI error a refused bundle gets, as sendStixBundle words it.
INVALID_BUNDLE = "Invalid bundle"
API, AMQP = "api", "amqp"
# The GraphQL call pycti makes for each bundle: the push itself over the API; over amqp,
# the expectations it declares on the work before it publishes to RabbitMQ.
BUNDLE_OPERATION = MappingProxyType({API: "StixBundlePush", AMQP: "addExpectations"})
# Answers slower than a LAN's, far below pycti's request timeout.
SLOW_SECONDS = 0.3
# A user who may read knowledge, not register a connector or open a work.
READER_CAPABILITIES = ("KNOWLEDGE",)


class Midrun(StrEnum):
    """What happens once the connector has opened its work and calls the platform again."""

    NONE = "nothing"
    SIGTERM = "SIGTERM"
    SIGINT = "SIGINT"
    PLATFORM_GONE = "the platform goes down"


class Token(StrEnum):
    """Which token the connector is given."""

    ADMIN = "a token with every capability"
    UNKNOWN = "a token the platform does not know"
    READER = "a token whose user may only read knowledge"


class Expect(StrEnum):
    """How the run should end; it decides which checks apply."""

    SUCCESS = "success"  # the run ingests and closes its work
    STOPPED = (
        "stopped"  # a signal stopped it: the work closed in error, a non-zero exit
    )
    FAILED = (
        "failed"  # an unexpected error: the work closed in error with the error on it
    )
    STARTUP_REFUSED = "start-up refused"  # it must exit at once saying why


SIGNALS = MappingProxyType(
    {Midrun.SIGTERM: signal.SIGTERM, Midrun.SIGINT: signal.SIGINT}
)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    expect: Expect
    midrun: Midrun = Midrun.NONE
    token: Token = Token.ADMIN
    refuse_bundles: bool = False
    slow_platform: bool = False
    # After the run, the platform is back and the connector is run once more.
    rerun: bool = False
    protocols: tuple[str, ...] = (API, AMQP)
    why_not_amqp: str = ""

    def platform_faults(self, protocol: str) -> list[dict[str, object]]:
        faults: list[dict[str, object]] = []
        if self.refuse_bundles:
            faults.append(
                {
                    "name": "graphql_error",
                    "operation": BUNDLE_OPERATION[protocol],
                    "message": INVALID_BUNDLE,
                    "code": "UNSUPPORTED_ERROR",
                }
            )
        if self.slow_platform:
            faults.append(
                {"name": "latency", "operation": "*", "seconds": SLOW_SECONDS}
            )
        return faults


CLEAN_RUN = Scenario(
    "clean_run",
    "Nothing goes wrong; every other scenario is compared with this run.",
    Expect.SUCCESS,
)
SCENARIOS: tuple[Scenario, ...] = (
    CLEAN_RUN,
    Scenario(
        "sigterm_mid_run",
        "SIGTERM (docker stop) once the work is open.",
        Expect.STOPPED,
        midrun=Midrun.SIGTERM,
    ),
    Scenario(
        "sigint_mid_run",
        "SIGINT (Ctrl+C) once the work is open.",
        Expect.STOPPED,
        midrun=Midrun.SIGINT,
    ),
    Scenario(
        "bundle_refused",
        f"The platform refuses every bundle: {INVALID_BUNDLE!r}.",
        Expect.FAILED,
        refuse_bundles=True,
        protocols=(API,),
        why_not_amqp=(
            "over amqp a bundle goes to RabbitMQ, and pycti logs a refusal of the work's"
            " expectations without raising: the connector can't see one"
        ),
    ),
    Scenario(
        "platform_gone_mid_run",
        "The platform goes down as the first bundle is sent, then is back for a second run.",
        Expect.FAILED,
        midrun=Midrun.PLATFORM_GONE,
        rerun=True,
    ),
    Scenario(
        "platform_slow",
        f"Every answer of the platform takes {SLOW_SECONDS} s.",
        Expect.SUCCESS,
        slow_platform=True,
    ),
    Scenario(
        "token_refused",
        "The token is unknown to the platform.",
        Expect.STARTUP_REFUSED,
        token=Token.UNKNOWN,
    ),
    Scenario(
        "token_lacks_capability",
        "The token's user may only read knowledge: it can't register a connector.",
        Expect.STARTUP_REFUSED,
        token=Token.READER,
    ),
)
NAMES = tuple(scenario.name for scenario in SCENARIOS)


def select(names: list[str], protocol: str = API) -> tuple[Scenario, ...]:
    """The scenarios named (all by default) that run over ``protocol``, in run order, always
    after the clean run they are compared with.

    ValueError names an unknown scenario, or one that can't run over the protocol, and why.
    """
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        raise ValueError(
            f"unknown scenario {unknown[0]!r}; choose among: {', '.join(NAMES)}"
        )
    for scenario in SCENARIOS:
        if scenario.name in names and protocol not in scenario.protocols:
            raise ValueError(
                f"{scenario.name} can't run over {protocol}: {scenario.why_not_amqp}"
            )
    wanted = set(names) | {CLEAN_RUN.name}
    return tuple(
        s
        for s in SCENARIOS
        if (not names or s.name in wanted) and protocol in s.protocols
    )
