"""The template check: what it accepts as the connectors repository, what it takes from it,
and the committed results it wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import template_check
from benchmarks.template_check import (
    MAIN,
    REQUIREMENTS,
    RESULTS_FILE,
    SOURCE_RUNNER,
    SUBJECTS,
    TemplateCheckError,
    commit_of,
    extract,
    requirements,
)
from connector_check.checks import CHECKS
from connector_check.scenarios import NAMES

from .git_repository import committed, git


@pytest.fixture
def connectors(tmp_path: Path) -> Path:
    """A repository laid out like OpenCTI-Platform/connectors, with one commit."""
    return committed(
        tmp_path / "connectors",
        {
            MAIN: "print('template')\n",
            REQUIREMENTS: "pycti==7.260817.0\nconnectors-sdk @ git+https://x\n",
            "connectors-sdk/pyproject.toml": "[project]\nname = 'connectors-sdk'\n",
            "external-import/other/src/main.py": "print('another connector')\n",
        },
    )


def test_the_commit_and_its_date_are_read_from_any_revision(connectors: Path) -> None:
    sha, date = commit_of(connectors, "HEAD")
    assert sha == git(connectors, "rev-parse", "HEAD")
    assert date == git(connectors, "log", "-1", "--format=%cI")


@pytest.mark.parametrize(
    ("where", "rev", "message"),
    [
        ("missing", "HEAD", r"missing is not a folder; give a clone of OpenCTI"),
        ("plain", "HEAD", r"plain has no commit 'HEAD'; give a git clone of"),
        ("connectors", "v0.0-none", r"has no commit 'v0.0-none'"),
    ],
)
def test_a_folder_that_is_not_the_repository_is_refused_saying_so(
    connectors: Path, where: str, rev: str, message: str
) -> None:
    (connectors.parent / "plain").mkdir()
    with pytest.raises(TemplateCheckError, match=message):
        commit_of(connectors.parent / where, rev)


def test_a_repository_without_the_template_is_refused(tmp_path: Path) -> None:
    other = committed(tmp_path / "other", {"README.md": "not the connectors\n"})
    with pytest.raises(
        TemplateCheckError, match=rf"has no {MAIN}; is it a clone of OpenCTI"
    ) as caught:
        commit_of(other, "HEAD")
    assert isinstance(caught.value.__cause__, TemplateCheckError)


def test_only_the_template_and_the_sdk_are_extracted(
    connectors: Path, tmp_path: Path
) -> None:
    target = tmp_path / "checkout"
    target.mkdir()
    extract(connectors, git(connectors, "rev-parse", "HEAD"), target)
    files = sorted(
        p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()
    )
    assert files == sorted([MAIN, REQUIREMENTS, "connectors-sdk/pyproject.toml"])


def test_the_sdk_is_installed_from_the_checked_commit_not_from_the_network(
    connectors: Path, tmp_path: Path
) -> None:
    extract(connectors, git(connectors, "rev-parse", "HEAD"), tmp_path)
    assert requirements(tmp_path) == [
        "pycti==7.260817.0",
        str(tmp_path / "connectors-sdk"),
    ]


def test_an_unusable_repository_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "results.json"
    code = template_check.main([str(tmp_path / "nowhere"), "--output", str(output)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"template-check: error: {tmp_path / 'nowhere'} is not a folder; give a clone "
        "of OpenCTI-Platform/connectors\n"
    )
    assert not output.exists()


def test_the_committed_results_cover_every_subject_scenario_and_check() -> None:
    results = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    assert results["repository"] == "OpenCTI-Platform/connectors"
    assert len(results["commit"]) == 40
    assert [s["name"] for s in results["subjects"]] == [s.name for s in SUBJECTS]
    known_checks = {check.name: check.rule for check in CHECKS}
    for subject in results["subjects"]:
        scenarios = subject["report"]["scenarios"]
        assert [s["name"] for s in scenarios] == list(NAMES)
        for scenario in scenarios:
            for result in scenario["checks"]:
                assert known_checks[result["name"]] == result["rule"]


def test_the_committed_results_hold_no_path_of_the_machine_they_were_made_on() -> None:
    text = RESULTS_FILE.read_text(encoding="utf-8")
    for prefix in ("/tmp/", "/home/", "/work/", "/root/", "site-packages"):
        assert prefix not in text


def test_the_checkout_s_path_is_masked_everywhere_in_a_report() -> None:
    report = {"a": ["at /tmp/t1/templates/x.py", 3], "b": {"c": "/tmp/t1/venv"}}
    assert template_check._masked(report, "/tmp/t1") == {
        "a": ["at <checkout>/templates/x.py", 3],
        "b": {"c": "<checkout>/venv"},
    }


def test_with_a_source_only_the_client_s_marked_method_answers(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "template_client").mkdir(parents=True)
    (src / "template_client" / "__init__.py").write_text("")
    (src / "template_client" / "api_client.py").write_text(
        "class TemplateClient:\n"
        "    def get_entities(self, params=None):\n"
        "        raise NotImplementedError\n"
    )
    (src / "main.py").write_text(
        "import sys\n"
        "from template_client.api_client import TemplateClient\n"
        "if __name__ == '__main__':\n"
        "    print(sys.argv[0].endswith('main.py'), TemplateClient().get_entities())\n"
    )
    done = subprocess.run(
        [sys.executable, str(SOURCE_RUNNER), str(src / "main.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "True [{'value': '198.51.100.7'}, {'value': '2001:db8::7'}, "
        "{'value': 'feed.example'}]\n"
    )
