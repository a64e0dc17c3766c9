"""The test tiers: which tests are slow for a reason, marked so a quick run can leave them out.

``nox -s quick`` runs ``-m "not e2e and not browser and not fuzz and not site"``: the snippets
against their ``#>`` lines and their linting, the unit tests of the connector, the sandbox,
connector-lint and connector-check, and the docs gates that need no build. CI runs every
tier. ``tests/conftest.py`` marks each test from this table, in one place:

- ``e2e``: starts real connector processes (the fault matrix, connector-check, the
  end-to-end runs) or a RabbitMQ;
- ``browser``: drives Chromium through the built site;
- ``fuzz``: thousands of generated examples per test;
- ``site``: reads the built site (it waits for the build, minutes when cold).

Every folder of ``tests/`` has an entry; a module, a test or one case of a test has one when
it is of another tier than its folder: the longest entry that holds a test decides. A new
folder without an entry stops the collection, naming it.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

E2E, BROWSER, FUZZ, SITE = "e2e", "browser", "fuzz", "site"
# The markers, with what pyproject.toml's [tool.pytest.ini_options] says of each.
TIER_MARKERS = (E2E, BROWSER, FUZZ, SITE)
QUICK = "not e2e and not browser and not fuzz and not site"

# A folder of tests/, a module, a test (module::name) or a case (module::name[id]) -> the
# tiers of its tests; () is the quick tier.
TIERS: dict[str, tuple[str, ...]] = {
    ".": (),
    "benchmarks": (),
    # The connector and the benchmarks' bare one, run as processes against the sandbox.
    "benchmarks/test_tools.py::test_bare_connector_sends_what_the_example_connector_sends": (
        E2E,
    ),
    "benchmarks/test_tools.py::test_faulty_runs_skip_about_a_tenth": (E2E,),
    "browser": (BROWSER, SITE),
    "ci": (),
    # They draw diagrams with Mermaid in Chromium.
    "test_diagrams.py::test_a_new_diagram_is_drawn_once_and_kept": (BROWSER,),
    "test_diagrams.py::test_a_diagram_mermaid_rejects_is_named": (BROWSER,),
    "connector_check": (),
    "connector_check/test_cli.py": (E2E,),
    "connector_check/test_connectors.py": (E2E,),
    "connector_lint": (),
    "example_connector": (),
    "example_connector/test_demo.py": (E2E,),
    "example_connector/test_end_to_end.py": (E2E,),
    "reliability": (),
    "reliability/test_fault_matrix.py": (E2E,),
    "reliability/test_fuzz.py": (FUZZ,),
    "sandbox": (),
    # The stand-in started with its own RabbitMQ.
    "sandbox/test_platform.py::test_standalone_server_prints_its_url_and_stops_on_ctrl_c"
    "[6.x-with-rabbitmq]": (E2E,),
}
# Fixtures that put a test in a tier wherever it is: the site's build, a RabbitMQ broker.
FIXTURE_TIERS = {"built_site": SITE, "rabbit_broker": E2E}


def tiers_of(
    path: PurePosixPath, name: str = "", fixtures: tuple[str, ...] = ()
) -> set[str]:
    """The tiers of the test ``name`` (``test_x`` or ``test_x[case]``) of the module
    ``path`` (relative to ``tests/``), which uses ``fixtures``."""
    folder = path.parent.as_posix()
    if folder not in TIERS:
        # A usage error: pytest stops the collection with the message alone.
        raise pytest.UsageError(
            f"tests/{folder} has no tier: add {folder!r} to TIERS in tests/tiers.py, with "
            f"() for the quick tier or the markers of its tests ({', '.join(TIER_MARKERS)})"
        )
    module = path.as_posix()
    function = name.split("[", 1)[0]
    candidates = [f"{module}::{name}", f"{module}::{function}", module, folder]
    entry = next(candidate for candidate in candidates if candidate in TIERS)
    tiers = set(TIERS[entry])
    tiers.update(FIXTURE_TIERS[name] for name in fixtures if name in FIXTURE_TIERS)
    return tiers
