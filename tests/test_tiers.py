"""The tiers: every test folder has one, the markers are the registered ones, the quick tier
leaves the slow tests out, and the supported Pythons are the same everywhere they are named."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import PurePosixPath

import pytest

from tests.doc_sources import ROOT
from tests.tiers import (
    BROWSER,
    E2E,
    FUZZ,
    QUICK,
    SITE,
    TIER_MARKERS,
    TIERS,
    tiers_of,
)

TESTS = ROOT / "tests"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _noxfile_constant(name: str) -> object:
    """A constant of the noxfile, read without importing nox."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"noxfile.py assigns no {name}")


def test_every_test_folder_has_a_tier_and_every_entry_a_path() -> None:
    folders = {
        path.parent.relative_to(TESTS).as_posix() for path in TESTS.rglob("test_*.py")
    }
    assert folders <= set(TIERS), f"no tier: {sorted(folders - set(TIERS))}"
    stale = [path for path in TIERS if not (TESTS / path.split("::")[0]).exists()]
    assert stale == []


def test_every_test_entry_names_a_test_of_its_module() -> None:
    for entry in (key for key in TIERS if "::" in key):
        module, name = entry.split("::")
        tree = ast.parse((TESTS / module).read_text(encoding="utf-8"))
        functions = {
            node.name for node in tree.body if isinstance(node, ast.FunctionDef)
        }
        assert name.split("[", 1)[0] in functions, f"{entry}: no such test"


def test_a_folder_without_a_tier_stops_the_collection_naming_it() -> None:
    with pytest.raises(
        match=r"^tests/payments has no tier: add 'payments' to TIERS in tests/tiers\.py",
    ):
        tiers_of(PurePosixPath("payments/test_refunds.py"))


STANDALONE = "test_standalone_server_prints_its_url_and_stops_on_ctrl_c"


@pytest.mark.parametrize(
    ("path", "name", "fixtures", "expected"),
    [
        ("test_snippets.py", "test_snippet[x]", (), set()),
        ("test_site.py", "test_x", ("tmp_path", "built_site"), {SITE}),
        ("connector_lint/test_checks.py", "test_x", (), set()),
        ("reliability/test_failure_modes_page.py", "test_x", (), set()),
        ("reliability/test_fault_matrix.py", "test_scenario[x]", (), {E2E}),
        ("reliability/test_fuzz.py", "test_x", (), {FUZZ}),
        ("sandbox/test_platform_graphql.py", "test_x", ("rabbit_broker",), {E2E}),
        ("browser/test_search.py", "test_x", (), {BROWSER, SITE}),
        ("connector_check/test_page.py", "test_x", (), set()),
        ("connector_check/test_connectors.py", "test_x", (), {E2E}),
        ("benchmarks/test_tools.py", "test_faulty_runs_skip_about_a_tenth", (), {E2E}),
        ("benchmarks/test_tools.py", "test_unknown_section_is_refused", (), set()),
        ("sandbox/test_platform.py", f"{STANDALONE}[6.x-with-rabbitmq]", (), {E2E}),
        ("sandbox/test_platform.py", f"{STANDALONE}[current]", (), set()),
    ],
)
def test_the_longest_entry_decides_and_fixtures_add_their_tiers(
    path: str, name: str, fixtures: tuple[str, ...], expected: set[str]
) -> None:
    assert tiers_of(PurePosixPath(path), name, fixtures) == expected


def test_the_markers_are_the_registered_ones_and_the_quick_tier_leaves_all_out() -> (
    None
):
    registered = PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]
    assert [line.split(":", 1)[0] for line in registered] == list(TIER_MARKERS)
    assert QUICK == " and ".join(f"not {marker}" for marker in TIER_MARKERS)
    assert _noxfile_constant("QUICK_TIER") == QUICK


def test_the_quick_tier_collects_no_test_of_another_tier() -> None:
    """Through pytest itself, so that conftest.py is shown to apply the table."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist"]
        + ["-m", QUICK]
        + ["tests/test_check_links.py", "tests/sandbox/test_platform_graphql.py"]
        + ["tests/reliability/test_fuzz.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = [line for line in result.stdout.splitlines() if "::" in line]
    modules = {line.split("::", 1)[0] for line in collected}
    # The link checker's own cases stay; its test of the built site goes.
    assert "tests/test_check_links.py::test_a_missing_site_folder_is_a_usage_error" in (
        collected
    )
    assert not [line for line in collected if "no_broken_internal_link" in line]
    # The GraphQL tests stay; the one on a real RabbitMQ goes.
    assert "tests/sandbox/test_platform_graphql.py" in modules
    assert not [line for line in collected if "consumes_the_connector_s_queue" in line]
    assert "tests/reliability/test_fuzz.py" not in modules


def test_the_supported_pythons_are_the_same_in_pyproject_and_the_noxfile() -> None:
    pythons = _noxfile_constant("PYTHONS")
    assert isinstance(pythons, list)
    project = PYPROJECT["project"]
    assert project["requires-python"] == f">={pythons[0]}"
    classified = [
        line.rsplit(" :: ", 1)[1]
        for line in project["classifiers"]
        if line.startswith("Programming Language :: Python :: 3.")
    ]
    assert classified == pythons
    assert "Programming Language :: Python :: 3 :: Only" in project["classifiers"]
    # The oldest is the one the code is checked against.
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + pythons[0].replace(
        ".", ""
    )
    assert PYPROJECT["tool"]["mypy"]["python_version"] == pythons[0]


def test_ci_runs_everything_on_the_oldest_and_the_quick_tier_on_the_others() -> None:
    pythons = _noxfile_constant("PYTHONS")
    assert isinstance(pythons, list)
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # The whole suite is the README's test command, which .ci/run reads and runs.
    assert 'command="$(python3 -m ci_tools.readme_commands test)"' in script
    (others,) = [
        line
        for line in script.splitlines()
        if line.startswith(".venv/bin/python -m nox -s ")
    ]
    sessions = others.removeprefix(".venv/bin/python -m nox -s ").split()
    assert sessions == [f"quick-{python}" for python in pythons[1:]]
