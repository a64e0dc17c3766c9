"""Every snippet the site shows is linted, run, and checked against its ``#>`` lines.

``pytest --update-examples`` rewrites the ``#>`` lines from what the snippets print now.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pytest_examples import CodeExample, EvalExample
from pytest_examples.config import ExamplesConfig
from pytest_examples.lint import black_format

from site_hooks.snippet_blocks import output_lines
from tests.doc_sources import ROOT, snippet_files

OUTPUT_LINE = re.compile(r"^\s*#> ", re.MULTILINE)
# A snippet is read on a page and pasted into an editor: no line scrolls sideways.
LINE_LENGTH = 79


def _bad_snippet_ignores() -> list[str]:
    """The rule codes a "Don't" snippet may break: one list, kept in pyproject.toml."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ignores: list[str] = pyproject["tool"]["ruff"]["lint"]["per-file-ignores"][
        "snippets/**/bad.py"
    ]
    return ignores


def _configure(eval_example: EvalExample, path: Path) -> None:
    eval_example.config = ExamplesConfig(
        line_length=LINE_LENGTH,
        quotes="double",
        target_version="py311",
        ruff_ignore=_bad_snippet_ignores() if path.name == "bad.py" else None,
    )


def _check_formatting(example: CodeExample, eval_example: EvalExample) -> None:
    # ruff format rewrites "#>" into "# >", so sample files are formatted by black through
    # pytest-examples, which keeps the output lines; its own black check can't be used as
    # it also folds the two blank lines PEP 8 puts between top-level definitions.
    formatted = black_format(example.source, eval_example.config)
    assert formatted == example.source, (
        f"format the snippet with black (line length {LINE_LENGTH})"
    )


def _print_lines_with_output(source: str) -> set[int]:
    """Line numbers of print calls whose next line starts a ``#>`` block."""
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
            and node.end_lineno is not None
            and node.end_lineno < len(lines)
            and OUTPUT_LINE.match(lines[node.end_lineno])
        ):
            found.add(node.lineno)
    return found


class PrintRecorder:
    """Remembers which print calls of the snippet really ran."""

    def __init__(self) -> None:
        self.lines: set[int] = set()

    def __call__(
        self, file: Path, frame: inspect.FrameInfo, args: Sequence[Any]
    ) -> bool:
        if not file.samefile(frame.filename):
            return False
        self.lines.add(frame.lineno)
        return True


@pytest.mark.parametrize(
    "path", snippet_files(), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_snippet(path: Path, eval_example: EvalExample) -> None:
    source = path.read_text(encoding="utf-8")
    example = CodeExample.create(source, path=path)
    _configure(eval_example, path)
    recorder = PrintRecorder()
    eval_example.include_print = recorder
    if eval_example.update_examples:
        eval_example.run_print_update(example)
        return
    _check_formatting(example, eval_example)
    eval_example.lint_ruff(example)
    eval_example.run_print_check(example)

    shown = _print_lines_with_output(source)
    assert shown, (
        f"{path.name} shows no output: put what it prints under a print() as #> lines"
    )
    never_ran = shown - recorder.lines
    # A #> block under a print that never runs would be published but never checked.
    assert not never_ran, (
        f"#> output under print() calls that never ran, lines {sorted(never_ran)}"
    )


@pytest.mark.parametrize(
    "path", snippet_files(), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_snippet_runs_as_a_script(path: Path, tmp_path: Path) -> None:
    """A reader runs ``python bad.py`` from anywhere: it must not need this repository."""
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(copy)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # What the page's Output block shows is what a reader's terminal shows.
    assert result.stdout.splitlines() == output_lines(copy.read_text("utf-8"))


@pytest.mark.parametrize(
    "path", snippet_files(), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_snippet_lines_fit_the_page(path: Path) -> None:
    long = [
        f"line {number}: {len(line)} columns"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if len(line) > LINE_LENGTH
    ]
    assert not long, f"lines over {LINE_LENGTH} columns: {long}"
