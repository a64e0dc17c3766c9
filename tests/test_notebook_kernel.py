"""The notebooks' kernels run over encrypted sockets, so a build does not warn about them.

Runs a one-cell notebook the way mkdocs-jupyter runs the site's (its nbconvert app, which
reads the Jupyter configuration), with and without site_hooks/notebook_kernel.py: a warm
notebook cache runs no kernel at all, so the build log alone can't show the difference.
"""

from __future__ import annotations

import os

import nbformat
import pytest
from mkdocs_jupyter.nbconvert2 import get_nbconvert_app
from nbconvert.preprocessors import ExecutePreprocessor
from nbformat.v4 import new_code_cell, new_notebook

from site_hooks import notebook_kernel

TCP_WARNING = "Kernel is running over TCP without encryption"


def run_one_cell() -> str:
    notebook = new_notebook(cells=[new_code_cell("print(6 * 7)")])
    app = get_nbconvert_app(execute=True, kernel_name="python3", allow_errors=False)
    ExecutePreprocessor(config=app.config).preprocess(notebook, {})
    output = notebook.cells[0].outputs[0]
    assert isinstance(output, nbformat.NotebookNode)
    return str(output["text"])


@pytest.fixture
def jupyter_config_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the hook sets in os.environ is undone after the test."""
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", os.environ.get("JUPYTER_CONFIG_PATH", ""))


@pytest.mark.usefixtures("jupyter_config_path")
def test_with_the_hook_the_kernel_does_not_warn(
    capfd: pytest.CaptureFixture[str],
) -> None:
    notebook_kernel.on_config(None)  # type: ignore[arg-type]  # it reads no setting

    assert run_one_cell() == "42\n"
    assert TCP_WARNING not in capfd.readouterr().err


@pytest.mark.usefixtures("jupyter_config_path")
def test_without_it_the_kernel_warns(capfd: pytest.CaptureFixture[str]) -> None:
    """The check above can fail: this is the warning it keeps out of the build log."""
    os.environ["JUPYTER_CONFIG_PATH"] = ""

    assert run_one_cell() == "42\n"
    assert TCP_WARNING in capfd.readouterr().err


def test_the_hook_adds_its_folder_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/etc/site-jupyter")

    notebook_kernel.on_config(None)  # type: ignore[arg-type]
    notebook_kernel.on_config(None)  # type: ignore[arg-type]

    assert os.environ["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(notebook_kernel.JUPYTER_CONFIG),
        "/etc/site-jupyter",
    ]
