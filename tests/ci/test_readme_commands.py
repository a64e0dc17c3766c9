"""The README's commands work on Debian's python3 as written, and `.ci/run` runs the README's.

The commands are run by bash, as a user pastes them, against a python3 that refuses pip as
Debian 12's does (tests/ci/fake_debian.py): a command that installs into the system's Python
fails here as it fails there.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from ci_tools.readme_commands import (
    README,
    ReadmeCommandError,
    readme_command,
    readme_commands,
)
from tests.benchmarks.git_repository import committed, git
from tests.ci.fake_debian import DEBIAN_REFUSAL, calls, debian_env, debian_path

ROOT = README.parent
NOX_PIN = re.compile(r'"(nox[^"]*)"')


def nox_requirement() -> str:
    """nox's bounds in pyproject.toml (the test extra), which the README must install."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [
        r
        for r in pyproject["project"]["optional-dependencies"]["test"]
        if r.startswith("nox")
    ]
    return str(pin)


def run_in_bash(
    command: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "sessions"),
    [
        ("serve", "serve"),
        ("test", "docs tests"),
        ("docs", "docs"),
        ("preview", "preview"),
        ("demo", "demo"),
    ],
)
def test_each_command_installs_only_into_its_own_virtual_environment(
    tmp_path: Path, name: str, sessions: str
) -> None:
    log = tmp_path / "calls.log"
    bin_folder = debian_path(tmp_path / "bin")
    user_folder = tmp_path / "clone"
    user_folder.mkdir()

    result = run_in_bash(readme_command(name), user_folder, debian_env(bin_folder, log))

    assert result.returncode == 0, result.stderr
    assert calls(log) == [
        "python3 -m venv .venv",
        f"venv-python -m pip install {nox_requirement()}",
        f"venv-python -m nox -s {sessions}",
    ]


def test_the_fake_refuses_pip_as_debian_does(tmp_path: Path) -> None:
    """The check above can fail: the README's former command fails on this python3."""
    log = tmp_path / "calls.log"
    former = (
        'python3 -m pip install "nox>=2026.10.20,<2028" && python3 -m nox -s docs tests'
    )

    result = run_in_bash(
        former, tmp_path, debian_env(debian_path(tmp_path / "bin"), log)
    )

    assert result.returncode == 1
    assert DEBIAN_REFUSAL in result.stderr
    assert calls(log) == ["python3 -m pip install nox>=2026.10.20,<2028"]


def test_no_readme_block_calls_pip_outside_a_virtual_environment() -> None:
    """Every pip of every shell block (connector-check's too) is a .venv's."""
    blocks = re.findall(
        r"^```sh\n(.*?)^```$", README.read_text(encoding="utf-8"), re.M | re.S
    )
    pips = [
        line
        for block in blocks
        for line in block.splitlines()
        for part in line.split("&&")
        if re.search(r"\bpip\b", part)
    ]
    assert pips
    for part in (p for line in pips for p in line.split("&&") if "pip" in p):
        assert part.strip().startswith(
            (".venv/bin/python -m pip ", ".venv/bin/pip ")
        ), part


def test_the_readme_installs_the_nox_that_pyproject_pins() -> None:
    pins = {
        NOX_PIN.findall(readme_command(name))[0] for name in ("serve", "test", "demo")
    }

    assert pins == {nox_requirement()}


def ci_checkout(tmp_path: Path, readme: str | None = None) -> Path:
    """A committed clone holding what `.ci/run` reads: itself, the README, ci_tools."""
    files: dict[str, str | bytes] = {
        ".ci/run": (ROOT / ".ci" / "run").read_text(encoding="utf-8"),
        ".gitignore": (ROOT / ".gitignore").read_text(encoding="utf-8"),
        "README.md": readme or README.read_text(encoding="utf-8"),
    }
    for module in (ROOT / "ci_tools").glob("*.py"):
        files[f"ci_tools/{module.name}"] = module.read_text(encoding="utf-8")
    return committed(tmp_path / "clone", files)


def run_ci(
    checkout: Path, tmp_path: Path, **extra: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "calls.log"
    env = debian_env(debian_path(tmp_path / "bin"), log, **extra)
    result = subprocess.run(
        ["bash", str(checkout / ".ci" / "run")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return result, calls(log)


def test_ci_runs_the_readmes_test_command_as_written(tmp_path: Path) -> None:
    checkout = ci_checkout(tmp_path)

    result, ran = run_ci(checkout, tmp_path)

    assert result.returncode == 0, result.stderr
    assert f"+ {readme_command('test')}\n" in result.stdout
    python_calls = [c for c in ran if c.startswith(("python3 ", "venv-python "))]
    assert python_calls == [
        "python3 -m venv .venv",
        f"venv-python -m pip install {nox_requirement()}",
        "venv-python -m nox -s docs tests",
        # then the quick tier on the newer interpreters
        "venv-python -m nox -s quick-3.12 quick-3.13",
    ]
    assert git(checkout, "status", "--porcelain") == ""


def test_ci_runs_a_changed_readme_command(tmp_path: Path) -> None:
    """What CI runs is read from the README, not copied into `.ci/run`."""
    readme = README.read_text(encoding="utf-8").replace(
        "-m nox -s docs tests\n", "-m nox -s docs tests -- -x\n"
    )
    checkout = ci_checkout(tmp_path, readme)

    result, ran = run_ci(checkout, tmp_path)

    assert result.returncode == 0, result.stderr
    assert ran[-2:] == [
        "venv-python -m nox -s docs tests -- -x",
        "venv-python -m nox -s quick-3.12 quick-3.13",
    ]


@pytest.mark.parametrize(
    ("written", "entry"),
    [("README.md", " M README.md"), ("--junitxml", "?? --junitxml")],
)
def test_ci_fails_when_the_test_run_changes_the_repository(
    tmp_path: Path, written: str, entry: str
) -> None:
    checkout = ci_checkout(tmp_path)

    result, _ = run_ci(checkout, tmp_path, FAKE_NOX_WRITES=str(checkout / written))

    assert result.returncode == 1
    assert f"error: the test run changed the repository:\n  {entry}\n" in result.stderr


def test_ci_stops_when_the_readme_has_no_test_command(tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8").replace("<!-- command: test -->\n", "")
    checkout = ci_checkout(tmp_path, readme)

    result, ran = run_ci(checkout, tmp_path)

    assert result.returncode == 2
    assert "README.md has no command 'test' (it names: demo, docs, preview, serve)" in (
        result.stderr
    )
    assert not [c for c in ran if c.startswith("venv-python")]


def test_a_name_given_twice_is_refused() -> None:
    block = "<!-- command: test -->\n```sh\ntrue\n```\n"

    with pytest.raises(ReadmeCommandError, match=r"names two blocks 'test'"):
        readme_commands(block + "\n" + block)


def test_a_named_block_is_read_whole() -> None:
    text = "intro\n<!-- command: two -->\n```sh\nfirst\nsecond\n```\n\n```sh\nnot named\n```\n"

    assert readme_commands(text) == {"two": "first\nsecond"}
