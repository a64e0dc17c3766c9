"""The build's caches: notebook output is reused only while the code it shows is unchanged,
and the test workers share one site build, or one failure, instead of making their own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from site_hooks import notebook_cache
from tests import site_build
from tests.doc_sources import ROOT
from tests.site_build import (
    BUILD_DONE,
    BUILD_FAILED,
    BUILD_STARTED,
    SiteBuildError,
    shared_site,
)


def _package(root: Path, source: str) -> Path:
    package = root / "snippets" / "example_connector"
    package.mkdir(parents=True, exist_ok=True)
    (package / "connector.py").write_text(source, encoding="utf-8")
    return root / "snippets"


def test_a_change_to_the_code_changes_the_digest(tmp_path: Path) -> None:
    package = _package(tmp_path, "print('first')\n")
    first = notebook_cache.code_digest(package)

    assert notebook_cache.code_digest(package) == first
    _package(tmp_path, "print('second')\n")
    assert notebook_cache.code_digest(package) != first


def test_a_new_module_changes_the_digest(tmp_path: Path) -> None:
    package = _package(tmp_path, "print('first')\n")
    first = notebook_cache.code_digest(package)

    (package / "new_module.py").write_text("", encoding="utf-8")

    assert notebook_cache.code_digest(package) != first


def test_the_plugin_caches_under_the_digest_and_older_generations_go(
    tmp_path: Path,
) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.config_file_path = str(tmp_path / "mkdocs.yml")
    package = _package(tmp_path, "print('first')\n")
    environment = notebook_cache._digest(sys.prefix.encode())
    stale = tmp_path / ".cache" / "notebooks" / environment / "0123456789abcdef"
    stale.mkdir(parents=True)
    other_environment = tmp_path / ".cache" / "notebooks" / "fedcba9876543210"
    other_environment.mkdir()

    notebook_cache.on_config(config)

    plugin = config.plugins["mkdocs-jupyter"]
    expected = stale.parent / notebook_cache.code_digest(package)
    assert plugin.config["cache"] is True
    assert plugin.config["cache_dir"] == str(expected)
    assert not stale.exists()
    assert other_environment.is_dir()


def test_without_the_notebook_plugin_the_hook_says_what_it_needs() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    del config.plugins["mkdocs-jupyter"]

    with pytest.raises(PluginError, match=r"needs the mkdocs-jupyter plugin"):
        notebook_cache.on_config(config)


def test_a_finished_build_is_shared(tmp_path: Path) -> None:
    (tmp_path / BUILD_STARTED).touch()
    (tmp_path / BUILD_DONE).touch()

    assert shared_site(tmp_path) == tmp_path / "site"


def test_a_failed_build_is_reported_to_every_worker_and_not_run_again(
    tmp_path: Path,
) -> None:
    (tmp_path / BUILD_STARTED).touch()
    (tmp_path / BUILD_FAILED).write_text(
        "mkdocs build exited with 1:\nERROR - a broken include", encoding="utf-8"
    )

    with pytest.raises(SiteBuildError, match=r"exited with 1:\nERROR - a broken"):
        shared_site(tmp_path)
    assert not (tmp_path / "site").exists()


def test_only_the_first_process_starts_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(
        subprocess, "Popen", lambda command, cwd: started.append(command)
    )

    site_build.start_shared_build(tmp_path)
    site_build.start_shared_build(tmp_path)

    assert started == [[sys.executable, "-m", "tests.site_build", str(tmp_path)]]


def test_the_builder_leaves_the_error_for_the_waiting_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_build(out: Path) -> Path:
        raise SiteBuildError("mkdocs build exited with 1:\nERROR - a broken include")

    monkeypatch.setattr(site_build, "build_site", failing_build)

    assert site_build.build_and_record(tmp_path) == 1
    assert (
        (tmp_path / BUILD_FAILED)
        .read_text(encoding="utf-8")
        .endswith("a broken include")
    )
    assert not (tmp_path / BUILD_DONE).exists()
