"""Notebooks are committed without outputs: the build runs them, and the site shows that run.

A committed output would be shown by Jupyter as if it were current, and it makes every diff of
a notebook noisy; execution counts would record whatever order someone last ran cells in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from site_hooks.notebooks import EMPTY_SCRIPT, download_button
from tests.doc_sources import DOCS, ROOT

NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))


def _cells(notebook: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(notebook.read_text(encoding="utf-8"))[
        "cells"
    ]
    return cells


def test_the_notebooks_are_found() -> None:
    assert [path.relative_to(DOCS).as_posix() for path in NOTEBOOKS] == [
        "notebooks/exceptions_up_close.ipynb",
        "notebooks/playground.ipynb",
    ]


@pytest.mark.parametrize(
    "notebook", NOTEBOOKS, ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_committed_notebook_has_no_outputs(notebook: Path) -> None:
    run = [
        f"cell {number}: {'outputs' if cell.get('outputs') else 'execution_count'}"
        for number, cell in enumerate(_cells(notebook), start=1)
        if cell["cell_type"] == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not run, (
        f"clear the outputs before committing (Jupyter: Edit > Clear Outputs of All Cells, "
        f"or `jupyter nbconvert --clear-output --inplace {notebook.name}`): {run}"
    )


def test_no_outputs_check_catches_an_executed_cell(tmp_path: Path) -> None:
    executed = {
        "cell_type": "code",
        "execution_count": 3,
        "metadata": {},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
        "source": "print('hi')",
    }
    notebook = tmp_path / "ran.ipynb"
    notebook.write_text(json.dumps({"cells": [executed]}), encoding="utf-8")

    with pytest.raises(AssertionError, match=r"\['cell 1: outputs'\]"):
        test_committed_notebook_has_no_outputs(notebook)


def test_download_button_links_to_the_notebook_beside_the_page() -> None:
    button = download_button("playground.ipynb")

    assert button.startswith(
        '<a href="playground.ipynb" download class="md-content__button md-icon" '
        'title="Download the notebook (playground.ipynb)"><svg '
    )
    assert button.endswith("</svg></a>")


def test_the_empty_mathjax_script_is_what_gets_removed() -> None:
    html = '<p>x</p>\n<!-- Load mathjax -->\n<script src=""> </script>\n<script>ok()</script>'

    assert EMPTY_SCRIPT.sub("", html) == (
        "<p>x</p>\n<!-- Load mathjax -->\n\n<script>ok()</script>"
    )
