"""The outputs CI reads: JSON, SARIF, GitHub annotations, statistics; selecting codes, exit
codes, per-file configuration, special files and code for a newer Python."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from connector_lint import newer_python
from connector_lint.batch import Job, check_all
from connector_lint.findings import CHECKS, RUN_CODES
from connector_lint.runner import Settings

from .test_cli import (
    LONG_TRY_SOURCE,
    SENTINEL_SOURCE,
    SWALLOW_SOURCE,
    configure,
    run_main,
    usage_error,
    write,
)

FSTRING_312 = 'def greet(names):\n    return f"{", ".join(names)}"\n'


@pytest.fixture
def two_files(project: Path) -> Path:
    write(project, "connector/score.py", SENTINEL_SOURCE)
    write(project, "connector/run.py", SWALLOW_SOURCE)
    return project


def test_json_lists_each_finding_with_its_rule_and_page(
    two_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(capsys, "--output-format", "json", "connector")
    assert code == 1
    document = json.loads(out)
    assert document["files_checked"] == 2
    assert document["not_checked"] == []
    assert document["findings"][1] == {
        "path": "connector/score.py",
        "line": 5,
        "column": 9,
        "code": "OCE003",
        "rule": "ERR-007",
        "message": "except handler returns the sentinel -1: raise an exception instead, "
        "or warn if the result is still usable",
        "url": "docs/basics/no_sentinels.md#err-007",
    }


def test_sarif_is_one_run_with_every_code_as_a_rule_and_absolute_help_links(
    two_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(
        capsys,
        *("--output-format", "sarif", "--docs-url", "https://rules.example/"),
        "connector",
    )
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*CHECKS, *RUN_CODES]
    assert run["tool"]["driver"]["name"] == "connector-lint"
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["OCE003"]["helpUri"] == (
        "https://rules.example/basics/no_sentinels/#err-007"
    )
    assert by_id["OCE003"]["properties"]["tags"] == ["ERR-007"]
    assert by_id["OCE003"]["fullDescription"]["text"].startswith("ERR-007 ")
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("OCE004", "warning"),
        ("OCE003", "warning"),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert results[1]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "connector/score.py",
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {"startLine": 5, "startColumn": 9},
            }
        }
    ]
    assert run["invocations"] == [
        {"executionSuccessful": True, "toolExecutionNotifications": []}
    ]


def test_sarif_without_a_site_address_has_no_relative_help_uri(
    two_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_main(capsys, "--output-format", "sarif", "connector")
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])
    assert driver["rules"][2]["help"]["text"].endswith(
        "see docs/basics/no_sentinels.md#err-007"
    )


def test_a_file_not_checked_is_a_notification_in_sarif_and_apart_in_json(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "broken.py", "def broken(:\n")
    code, out, _ = run_main(capsys, "--output-format", "sarif", ".")
    assert code == 2
    [run] = json.loads(out)["runs"]
    assert run["results"] == []
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"].startswith("file not checked: syntax error")
    code, out, _ = run_main(capsys, "--output-format", "json", ".")
    document = json.loads(out)
    assert (code, document["files_checked"], document["findings"]) == (2, 0, [])
    assert document["not_checked"][0]["path"] == "broken.py"


def test_github_annotations_escape_what_the_workflow_syntax_reserves(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "a,b:c.py", SENTINEL_SOURCE)
    code, out, _ = run_main(capsys, "--output-format", "github", ".")
    assert code == 1
    assert out == (
        "::warning file=a%2Cb%3Ac.py,line=5,col=9,title=connector-lint OCE003::"
        "except handler returns the sentinel -1: raise an exception instead, or warn if "
        "the result is still usable (docs/basics/no_sentinels.md#err-007)\n"
    )


def test_select_and_ignore_take_codes_and_prefixes(
    two_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def codes(*options: str) -> list[str]:
        _, out, _ = run_main(capsys, *options, "connector")
        return [line.split()[1] for line in out.splitlines()]

    assert codes() == ["OCE004", "OCE003"]
    assert codes("--select", "OCE003") == ["OCE003"]
    assert codes("--select", "oce00") == ["OCE004", "OCE003"]
    assert codes("--ignore", "OCE004,OCE003") == []
    assert codes("--select", "OCE00", "--ignore", "OCE004") == ["OCE003"]


def test_an_unknown_code_is_a_usage_error_listing_the_codes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = usage_error(capsys, "--select", "E501", ".")
    assert "argument --select: no code starts with 'E501'; the codes are OCE001" in err


def test_exit_zero_keeps_the_findings_and_the_run_failure(
    two_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(capsys, "--exit-zero", "connector")
    assert code == 0
    assert len(out.splitlines()) == 2
    write(two_files, "connector/broken.py", "def broken(:\n")
    assert run_main(capsys, "--exit-zero", "connector")[0] == 2


def test_statistics_count_each_code_instead_of_listing_findings(
    two_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(two_files, "connector/score2.py", SENTINEL_SOURCE)
    code, out, err = run_main(capsys, "--statistics", "connector")
    assert code == 1
    assert out == (
        "2  OCE003  except handler returns a sentinel value\n"
        "1  OCE004  handler swallows a shutdown request\n"
    )
    assert err == "connector-lint: 3 findings in 3 files checked\n"


def test_each_file_takes_the_settings_of_its_nearest_pyproject(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "strict/etl.py", LONG_TRY_SOURCE)
    write(project, "relaxed/etl.py", LONG_TRY_SOURCE)
    write(project, "relaxed/vendored/x.py", SENTINEL_SOURCE)
    configure(project, "max-try-statements = 1")
    (project / "relaxed" / "pyproject.toml").write_text(
        '[tool.connector-lint]\nmax-try-statements = 5\nexclude = ["vendored"]\n'
    )
    code, out, _ = run_main(capsys, ".")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["strict/etl.py"]
    _, _, err = run_main(capsys, "relaxed/vendored")
    assert err.startswith(
        "connector-lint: relaxed/vendored is excluded by "
        f"{project / 'relaxed' / 'pyproject.toml'} [tool.connector-lint]\n"
    )


def test_a_bad_table_of_one_connector_stops_the_run_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "good/a.py", SENTINEL_SOURCE)
    write(project, "bad/b.py", SENTINEL_SOURCE)
    (project / "bad" / "pyproject.toml").write_text(
        "[tool.connector-lint]\nlimit = 2\n"
    )
    code, _, err = run_main(capsys, ".")
    assert code == 2
    assert (
        f"connector-lint: error: {project / 'bad' / 'pyproject.toml'} "
        "[tool.connector-lint]: unknown key 'limit'"
    ) in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_like_python_is_skipped_never_opened(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "pkg/a.py", SENTINEL_SOURCE)
    os.mkfifo(project / "pkg" / "pipe.py")
    (project / "pkg" / "gone.py").symlink_to(project / "nowhere.py")
    code, out, err = run_main(capsys, "pkg")
    assert code == 1
    assert out.startswith("pkg/a.py:5:9: OCE003")
    assert err.splitlines() == [
        "connector-lint: pkg/gone.py skipped: a symbolic link to nothing",
        "connector-lint: pkg/pipe.py skipped: a FIFO, not a regular file",
        "connector-lint: 1 finding in 1 file checked",
    ]
    code, _, err = run_main(capsys, "pkg/pipe.py")
    assert (code, err.splitlines()[0]) == (
        0,
        "connector-lint: pkg/pipe.py skipped: a FIFO, not a regular file",
    )


def test_workers_report_every_file_in_order_as_one_process_does(tmp_path: Path) -> None:
    for number in range(40):
        source = SENTINEL_SOURCE if number % 3 else SWALLOW_SOURCE
        (tmp_path / f"m{number:02}.py").write_text(source)
    jobs = [Job(path, Settings()) for path in sorted(tmp_path.glob("*.py"))]
    alone = list(check_all(jobs, 1))
    assert list(check_all(jobs, 2)) == alone
    assert [job.path.name for job, _ in alone] == [f"m{n:02}.py" for n in range(40)]


def test_newer_syntax_is_checked_by_the_newer_python_on_path(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "greet.py", FSTRING_312 + SENTINEL_SOURCE)
    code, out, err = run_main(capsys, "greet.py")
    if sys.version_info >= (3, 12):
        # The running interpreter parses PEP 701 f-strings itself: no other is needed.
        assert (code, err) == (1, "connector-lint: 1 finding in 1 file checked\n")
        assert out.startswith(
            "greet.py:7:9: OCE003 except handler returns the sentinel"
        )
        return
    assert code == 2
    assert "give --target-version" in err
    if newer_python.interpreter((3, 12)) is None:
        pytest.fail(
            "this test needs python3.12 or newer on PATH (.ci/run selects them)"
        )
    code, out, err = run_main(capsys, "--target-version", "py312", "greet.py")
    assert (code, err) == (1, "connector-lint: 1 finding in 1 file checked\n")
    assert out.startswith("greet.py:7:9: OCE003 except handler returns the sentinel -1")


def test_newer_syntax_without_that_python_says_what_to_install(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, "new.py", "type Alias = int\n")
    monkeypatch.setenv("PATH", str(project))
    code, _, err = run_main(capsys, "--target-version", "py314", "new.py")
    if sys.version_info >= (3, 12):
        assert code == 0
        return
    assert code == 2
    assert (
        "(with --target-version py314, install python3.14 or newer to check it)" in err
    )
