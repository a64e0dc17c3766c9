"""The GitHub Pages workflow builds the site as `nox -s docs` does and deploys what it built."""

from __future__ import annotations

import ast
import re
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config

from ci_tools.readme_commands import README, readme_command
from site_hooks.build_command import SITE_DIR

ROOT = README.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
# A release tag (v6, v6.0.3) or a commit: never a branch, which moves under the workflow.
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    job_steps = workflow["jobs"][job]["steps"]
    assert isinstance(job_steps, list)
    return job_steps


def test_it_builds_with_the_readmes_docs_command(workflow: dict[Any, Any]) -> None:
    runs = [step["run"] for step in steps(workflow, "build") if "run" in step]

    assert runs == [readme_command("docs")]
    assert readme_command("docs").endswith(" -m nox -s docs")


def test_the_docs_session_builds_with_the_one_build_command() -> None:
    """nox -s docs runs mkdocs_build() with its default folder: the one uploaded."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    (docs,) = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "docs"
    ]
    builds = [
        node
        for node in ast.walk(docs)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "mkdocs_build"
    ]
    assert len(builds) == 1
    assert builds[0].args == []
    assert builds[0].keywords == []


def test_it_uploads_the_folder_the_build_writes(workflow: dict[Any, Any]) -> None:
    (upload,) = [
        step
        for step in steps(workflow, "build")
        if str(step.get("uses", "")).startswith("actions/upload-pages-artifact@")
    ]
    assert upload["with"]["path"] == SITE_DIR


def test_it_deploys_with_deploy_pages_and_only_that_job_may_write(
    workflow: dict[Any, Any],
) -> None:
    deploy = workflow["jobs"]["deploy"]

    assert workflow["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [str(step["uses"]).split("@")[0] for step in deploy["steps"]] == [
        "actions/deploy-pages"
    ]


def test_every_action_is_pinned_to_a_release(workflow: dict[Any, Any]) -> None:
    used = [
        str(step["uses"])
        for job in workflow["jobs"]
        for step in steps(workflow, job)
        if "uses" in step
    ]
    assert len(used) == 5
    assert [action for action in used if not PINNED.match(action)] == []


def test_it_runs_on_pushes_to_main_and_by_hand(workflow: dict[Any, Any]) -> None:
    # YAML 1.1 reads the key `on` as true.
    triggers = workflow.get("on", workflow.get(True))

    assert triggers == {"push": {"branches": ["main"]}, "workflow_dispatch": None}


def test_the_repository_link_comes_from_the_build(
    workflow: dict[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = workflow["jobs"]["build"]["env"]
    assert env == {
        "SITE_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
        "SITE_REPO_NAME": "${{ github.repository }}",
    }
    monkeypatch.setenv("SITE_REPO_URL", "https://github.com/owner/name")
    monkeypatch.setenv("SITE_REPO_NAME", "owner/name")

    config = load_config(str(ROOT / "mkdocs.yml"))

    assert config.repo_url == "https://github.com/owner/name"
    assert config.repo_name == "owner/name"


def test_a_build_without_them_has_no_repository_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SITE_REPO_URL", raising=False)
    monkeypatch.delenv("SITE_REPO_NAME", raising=False)

    config = load_config(str(ROOT / "mkdocs.yml"))

    assert config.repo_url is None


def test_the_repository_link_fetches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Material's own link makes its script ask api.github.com for stars; ours doesn't."""
    monkeypatch.setenv("SITE_REPO_URL", "https://github.com/owner/name")
    monkeypatch.setenv("SITE_REPO_NAME", "owner/name")
    config = load_config(str(ROOT / "mkdocs.yml"))
    template = config.theme.get_env().get_template("partials/source.html")

    html = template.render(config=config, lang=SimpleNamespace(t=lambda key: key))

    assert 'href="https://github.com/owner/name"' in html
    assert "owner/name" in html
    assert "data-md-component" not in html
