"""The command: what it checks, what it prints, and its exit codes (0 clean, 1 found, 2 usage)."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from connector_lint import check_file, check_source
from connector_lint.cli import main
from tests.doc_sources import ROOT

SENTINEL_SOURCE = """\
def parse_score(raw):
    try:
        return int(raw["score"])
    except ValueError:
        return -1
"""
SENTINEL_MESSAGE = (
    "OCE003 except handler returns the sentinel -1: raise an exception instead, or warn "
    "if the result is still usable"
)
SWALLOW_SOURCE = """\
def run(ids):
    for ioc_id in ids:
        try:
            send(ioc_id)
        except:
            pass
"""
LONG_TRY_SOURCE = """\
def etl(ioc_id):
    try:
        ioc = get_ioc(ioc_id)
        send(convert(ioc))
    except DataRetrievalError:
        logger.warning("skipped")
"""
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
CLEAN_SOURCE = "def double(value: int) -> int:\n    return 2 * value\n"


def configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.connector-lint]\n{table}\n")


def write(project: Path, relative: str, source: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that must fail with exit code 2; return what it printed on stderr."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err


def test_clean_code_exits_0_and_prints_no_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "connector/util.py", CLEAN_SOURCE)
    assert run_main(capsys, ".") == (
        0,
        "",
        "connector-lint: 1 file checked, nothing found\n",
    )


def test_each_finding_is_one_line_with_the_rule_page_and_the_exit_code_is_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "connector/score.py", SENTINEL_SOURCE)
    write(project, "connector/run.py", SWALLOW_SOURCE)
    code, out, err = run_main(capsys, "connector")
    assert code == 1
    assert out.splitlines() == [
        "connector/run.py:5:9: OCE004 a bare except swallows a request to stop (Ctrl+C, "
        "SIGTERM, sys.exit): it neither re-raises nor exits; report the stop if you "
        "must, then raise (docs/basics/let_exit_propagate.md#err-008)",
        f"connector/score.py:5:9: {SENTINEL_MESSAGE} (docs/basics/no_sentinels.md#err-007)",
    ]
    assert err == "connector-lint: 2 findings in 2 files checked\n"


def test_links_point_at_the_published_site_when_its_address_is_given(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "score.py", SENTINEL_SOURCE)
    page = "basics/no_sentinels/#err-007"
    _, out, _ = run_main(capsys, "--docs-url", "https://rules.example/errors/", ".")
    assert (
        out
        == f"score.py:5:9: {SENTINEL_MESSAGE} (https://rules.example/errors/{page})\n"
    )
    configure(project, 'docs-url = "https://configured.example"')
    _, out, _ = run_main(capsys, "score.py")
    assert out.endswith(f"(https://configured.example/{page})\n")
    _, out, _ = run_main(capsys, "--docs-url", "https://option.example", "score.py")
    assert out.endswith(f"(https://option.example/{page})\n")


def test_files_that_cannot_be_parsed_are_reported_apart_the_others_checked_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "a_broken.py", "def broken(:\n")
    (project / "b_latin1.py").write_bytes(b'NAME = "caf\xe9"\n')
    write(project, "c_score.py", SENTINEL_SOURCE)
    code, out, err = run_main(capsys, ".")
    assert code == 2
    assert out.splitlines() == [
        f"c_score.py:5:9: {SENTINEL_MESSAGE} (docs/basics/no_sentinels.md#err-007)",
    ]
    assert err.splitlines() == [
        "connector-lint: error: a_broken.py:1:12: OCE000 file not checked: syntax "
        f"error: invalid syntax (if it is valid for a newer Python than {RUNNING}, "
        "give --target-version) (docs/checks.md#oce000)",
        "connector-lint: error: b_latin1.py:1:1: OCE000 file not checked: cannot "
        "decode it: invalid or missing encoding declaration for 'b_latin1.py' "
        "(docs/checks.md#oce000)",
        "connector-lint: 1 finding in 1 file checked, 2 not checked",
    ]


def test_sources_the_parser_gives_up_on_are_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [f.message for f in check_source("x = 1\0\n", "nul.py")] == [
        "file not checked: syntax error: source code string cannot contain null bytes"
    ]
    deep = "logger" + ".a" * 1500 + ".error('deep')\n"
    assert [f.message for f in check_source(deep, "deep.py")] == [
        "file not checked: nested too deeply to analyse"
    ]

    def parser_refusing_null_bytes(source: str, filename: str) -> ast.Module:
        raise ValueError("source code string cannot contain null bytes")

    monkeypatch.setattr(ast, "parse", parser_refusing_null_bytes)
    assert [f.message for f in check_source("x = 1\0\n", "nul.py")] == [
        "file not checked: it does not parse: source code string cannot contain null "
        "bytes"
    ]


def test_a_path_that_cannot_be_read_is_a_finding(tmp_path: Path) -> None:
    [finding] = check_file(tmp_path)
    assert (finding.line, finding.col, finding.code, finding.message) == (
        1,
        1,
        "OCE000",
        "file not checked: cannot read it: Is a directory",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give at least one file or folder to check"),
        (("missing.py",), "no such file or folder: missing.py"),
        (("--max-try-statements", "0", "."), "must be 1 or more, got 0"),
        (("--max-try-statements", "three", "."), "not a whole number: 'three'"),
        (("--frobnicate", "OCE003", "."), "unrecognized arguments: --frobnicate"),
    ],
    ids=["no-path", "missing-path", "zero-limit", "word-limit", "unknown-option"],
)
def test_usage_errors_exit_2_with_the_reason(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    err = usage_error(capsys, *args)
    assert err.startswith("usage: connector-lint")
    assert err.rstrip().endswith(message)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("max-try-statement = 3", "unknown key 'max-try-statement'; the keys are "),
        ("max-try-statements = 0", "max-try-statements must be a whole number of 1 "),
        (
            "max-try-statements = true",
            "max-try-statements must be a whole number of 1 ",
        ),
        ('max-try-statements = "3"', "max-try-statements must be a whole number of 1 "),
        ('docs-url = ""', "docs-url must be a non-empty string, got ''"),
        ('exclude = "tests/*"', "exclude must be a list of strings, got 'tests/*'"),
    ],
)
def test_an_unusable_configuration_exits_2_and_says_what_to_fix(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    configure(project, table)
    code, out, err = run_main(capsys, ".")
    assert (code, out) == (2, "")
    assert err.startswith("connector-lint: error: ")
    assert f"pyproject.toml [tool.connector-lint]: {message}" in err


def test_a_pyproject_that_is_not_toml_exits_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text("[tool.connector-lint\n")
    code, out, err = run_main(capsys, ".")
    assert (code, out) == (2, "")
    assert "pyproject.toml: can't be read: Expected ']' at the end of a table" in err


def test_the_try_limit_comes_from_the_option_then_the_configuration(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "etl.py", LONG_TRY_SOURCE)
    finding = (
        "etl.py:2:5: OCE006 try body has 2 statements that can raise (calls, subscripts; "
        "limit 1): wrap only the statement that can raise the error you handle "
        "(docs/basics/small_try.md#err-001)\n"
    )
    assert run_main(capsys, "etl.py")[:2] == (0, "")
    assert run_main(capsys, "--max-try-statements", "1", "etl.py")[:2] == (1, finding)
    configure(project, "max-try-statements = 1")
    assert run_main(capsys, "etl.py")[:2] == (1, finding)
    assert run_main(capsys, "--max-try-statements", "2", "etl.py")[:2] == (0, "")


def test_excluded_files_and_folders_are_not_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, 'exclude = ["examples/*/bad.py", "vendor"]')
    write(project, "examples/sentinel/bad.py", SENTINEL_SOURCE)
    write(project, "examples/sentinel/good.py", CLEAN_SOURCE)
    write(project, "vendor/lib/run.py", SWALLOW_SOURCE)
    assert run_main(capsys, ".") == (
        0,
        "",
        "connector-lint: 1 file checked, nothing found\n",
    )
    # Named on the command line (as pre-commit does), an excluded file stays excluded.
    assert run_main(capsys, "examples/sentinel/bad.py") == (
        0,
        "",
        "connector-lint: examples/sentinel/bad.py is excluded by "
        f"{project / 'pyproject.toml'} [tool.connector-lint]\n"
        "connector-lint: no Python file to check under the given paths\n",
    )


def test_environments_caches_and_other_files_are_skipped_but_named_files_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in (".venv/lib", "__pycache__", "build", ".nox/lint"):
        write(project, f"{folder}/run.py", SWALLOW_SOURCE)
    write(project, "connector/notes.txt", SWALLOW_SOURCE)
    write(project, "connector/run", SWALLOW_SOURCE)
    assert run_main(capsys, ".")[0] == 0
    code, out, _ = run_main(capsys, "connector/run", ".")
    assert code == 1
    assert out.startswith("connector/run:5:9: OCE004 a bare except swallows")


def test_the_ruff_profile_is_printed_as_shipped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = (ROOT / "connector_lint" / "ruff-profile.toml").read_text()
    assert run_main(capsys, "--ruff-profile") == (0, profile, "")


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_installing_the_repository_provides_the_command() -> None:
    pyproject = _pyproject()
    project = pyproject["project"]
    assert isinstance(project, dict)
    assert project["scripts"] == {
        "connector-lint": "connector_lint.cli:main",
        "connector-check": "connector_check.cli:main",
    }
    # The packages and their data are installed, not only the snippets.
    setuptools = pyproject["tool"]["setuptools"]  # type: ignore[index]
    included = setuptools["packages"]["find"]["include"]
    for package in ("connector_lint*", "connector_check*", "connector_sandbox*"):
        assert package in included
    assert setuptools["package-data"]["connector_lint"] == ["ruff-profile.toml"]
    # The platform stand-in reads its GraphQL schema at run time.
    assert setuptools["package-data"]["connector_sandbox"] == ["*.graphql"]


@pytest.mark.parametrize(
    "command",
    [
        [str(Path(sys.executable).parent / "connector-lint")],
        [sys.executable, "-m", "connector_lint"],
    ],
    ids=["console-script", "python-m"],
)
def test_the_installed_command_runs(command: list[str], tmp_path: Path) -> None:
    (tmp_path / "score.py").write_text(SENTINEL_SOURCE)
    (tmp_path / "util.py").write_text(CLEAN_SOURCE)
    found = subprocess.run(
        [*command, "score.py", "util.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (found.returncode, found.stdout) == (
        1,
        f"score.py:5:9: {SENTINEL_MESSAGE} (docs/basics/no_sentinels.md#err-007)\n",
    )
    clean = subprocess.run(
        [*command, "util.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (clean.returncode, clean.stdout) == (0, "")


def test_the_pre_commit_hook_runs_the_command_on_python_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["connector-lint"]
    [hook] = hooks
    assert hook["entry"] == "connector-lint"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["entry"] in _pyproject()["project"]["scripts"]  # type: ignore[index]
