"""The measuring tools: the connector runs they time, the profile's labels, the JUnit times,
the command line and the site hook. Nothing here asserts how fast anything is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from benchmarks import cli, maintainer_loop
from benchmarks.costs import BARE_CONNECTOR
from benchmarks.maintainer_loop import junit_times, per_snippet, time_by_folder
from benchmarks.profiling import ROOT, _label
from benchmarks.render import CHART_PATH
from benchmarks.results import RunInfo
from benchmarks.sandbox_run import faults_for, run_once
from site_hooks import performance

FIXTURE = Path(__file__).with_name("results_fixture.json")
JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="tests.test_snippets" name="test_snippet[snippets/a/x/bad.py]" time="0.5"/>
<testcase classname="tests.test_snippets"
  name="test_snippet_runs_as_a_script[snippets/a/x/bad.py]" time="0.25"/>
<testcase classname="tests.test_snippets" name="test_snippet[snippets/a/x/good.py]" time="1.0"/>
</testsuite></testsuites>
"""


def test_bare_connector_sends_what_the_example_connector_sends() -> None:
    """The baseline does the same work: the platform receives the same STIX objects."""
    example = run_once(30)
    bare = run_once(30, python_args=BARE_CONNECTOR)

    assert example.indicators == bare.indicators == 30
    assert example.object_ids == bare.object_ids
    assert example.peak_rss_mib > 0


def test_faulty_runs_skip_about_a_tenth() -> None:
    run = run_once(200, faulty_share=0.1)

    assert 200 - run.indicators == 20  # which ids: fixed by the source's seed
    assert sum(float(f["rate"]) for f in faults_for(0.1)) == pytest.approx(0.1)
    assert faults_for(0.0) == []


@pytest.mark.parametrize(
    ("file", "label"),
    [
        ("~", "<method 'recv_into' of '_socket.socket' objects>"),
        (
            "/venv/lib/python3.11/site-packages/stix2/base.py",
            "stix2/base.py:<method 'recv_into' of '_socket.socket' objects>",
        ),
        (
            "/usr/lib/python3.11/collections/__init__.py",
            "collections/__init__.py:<method 'recv_into' of '_socket.socket' objects>",
        ),
        (
            str(ROOT / "snippets/example_connector/converter.py"),
            "snippets/example_connector/converter.py:"
            "<method 'recv_into' of '_socket.socket' objects>",
        ),
    ],
)
def test_profile_labels_hold_no_path_of_the_machine(file: str, label: str) -> None:
    assert (
        _label((file, 0, "<method 'recv_into' of '_socket.socket' objects>")) == label
    )


def test_snippet_times_add_up_each_snippets_tests(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    report.write_text(JUNIT, encoding="utf-8")

    assert junit_times(report)[0] == (
        "tests.test_snippets::test_snippet[snippets/a/x/bad.py]",
        0.5,
    )
    assert [(t.name, t.seconds) for t in per_snippet(report)] == [
        ("snippets/a/x/good.py", 1.0),
        ("snippets/a/x/bad.py", 0.75),
    ]


def test_test_time_is_summed_by_folder(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    report.write_text(
        JUNIT.replace(
            'classname="tests.test_snippets" name="test_snippet[snippets/a/x/good.py]"',
            'classname="tests.browser.test_tabs" name="test_tabs[ERR-001]"',
        ),
        encoding="utf-8",
    )

    assert [(t.name, t.seconds) for t in time_by_folder(report)] == [
        ("browser", 1.0),
        ("tests/*.py", 0.8),
    ]


def test_the_loop_reads_its_reports_while_they_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command faked: the measurement's own plumbing, from commands to results."""
    commands: list[list[str]] = []

    def fake_timed(command: list[str], env: dict[str, str]) -> float:
        commands.append(command)
        options = [*command, *env.get("PYTEST_ADDOPTS", "").split()]
        # pytest takes both "--junitxml PATH" and "--junitxml=PATH".
        reports = [
            after
            for option, after in zip(options, options[1:], strict=False)
            if option == "--junitxml"
        ] + [
            o.removeprefix("--junitxml=")
            for o in options
            if o.startswith("--junitxml=")
        ]
        for report in reports:
            assert Path(report).is_absolute(), report
            Path(report).write_text(JUNIT, encoding="utf-8")
        return float(len(commands))

    monkeypatch.setattr(maintainer_loop, "_timed", fake_timed)
    monkeypatch.setattr(maintainer_loop, "NOTEBOOK_CACHE", tmp_path / "notebooks")

    loop = maintainer_loop.measure(RunInfo.here("full"))

    assert loop.mkdocs_build_cold_seconds == 1.0
    assert loop.mkdocs_build_warm_seconds == 3.0  # the median of builds 2, 3 and 4
    assert loop.nox_docs_tests_first_seconds == 8.0
    assert loop.nox_docs_tests_seconds == 9.0
    assert [t.name for t in loop.per_snippet] == [
        "snippets/a/x/good.py",
        "snippets/a/x/bad.py",
    ]
    assert [t.name for t in loop.time_by_folder] == ["tests/*.py"]
    assert commands[-1][-4:] == ["-R", "-s", "docs", "tests"]


def test_the_quick_tier_is_timed_twice_as_nox_s_quick_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []

    def fake_timed(command: list[str], env: dict[str, str]) -> float:
        commands.append(command)
        report = command[command.index("--junitxml") + 1]
        Path(report).write_text(JUNIT, encoding="utf-8")
        return 10.0 * len(commands)

    monkeypatch.setattr(maintainer_loop, "_timed", fake_timed)

    tier = maintainer_loop.measure_quick_tier(RunInfo.here("quick"))

    assert (tier.first_seconds, tier.seconds, tier.tests) == (10.0, 20.0, 3)
    assert tier.markers == "not e2e and not browser and not fuzz and not site"
    assert (
        tier.slowest_tests[0].name
        == "tests.test_snippets::test_snippet[snippets/a/x/good.py]"
    )
    (first, warm) = commands
    assert first[1:7] == ["-m", "pytest", "-m", tier.markers, "--numprocesses", "auto"]
    assert warm[-1] == f"--deselect={maintainer_loop.COMPLETE_RESULTS_TEST}"


def test_render_prints_the_page_and_writes_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "chart.svg"

    exit_code = cli.main(["--results", str(FIXTURE), "render", "--chart", str(chart)])

    out, err = capsys.readouterr()
    assert exit_code == 0
    assert out.startswith("## Goals\n")
    assert chart.read_text(encoding="utf-8").startswith("<svg ")
    assert err == f"chart written to {chart}\n"


def test_render_without_results_fails_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = cli.main(["--results", str(tmp_path / "none.json"), "render"])

    assert exit_code == 2
    assert capsys.readouterr().err.startswith(
        "benchmarks: can't read the results file "
    )


def test_unknown_section_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--only", "everything"])

    assert exit_info.value.code == 2
    assert "invalid choice: 'everything'" in capsys.readouterr().err


def test_hook_fills_the_marked_page_and_adds_the_chart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    # mkdocs sets it while it runs an event; File.generated reads it.
    monkeypatch.setattr(config.plugins, "_current_plugin", "performance", raising=False)
    files = performance.on_files(Files([]), config)
    page: Any = None

    filled = performance.on_page_markdown(
        "# Performance\n\n<!-- performance -->\n", page, config, files
    )

    assert files.get_file_from_path(CHART_PATH) is not None
    assert filled.startswith("# Performance\n\n## Goals\n")
    assert "<!-- performance -->" not in filled
    assert performance.on_page_markdown("# Other\n", page, config, files) == "# Other\n"


def test_module_runs_as_a_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--results", str(FIXTURE), "render"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "## The maintainer loop" in result.stdout
