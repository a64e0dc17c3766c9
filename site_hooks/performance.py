"""Render the Performance page from the committed results file, ``benchmarks/results.json``.

No benchmark runs at build time: ``nox -s bench`` measures and writes the file, and this hook
only reads it. The page puts ``<!-- performance -->`` where the tables go; the chart is
generated from the same file as ``assets/performance/throughput.svg``.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from benchmarks.chart import throughput_chart
from benchmarks.render import CHART_PATH, page_markdown
from benchmarks.results import Results, ResultsError, load

PERFORMANCE_MARKER = "<!-- performance -->"


def _results() -> Results:
    try:
        return load()
    except ResultsError as err:
        raise PluginError(f"the Performance page can't be built: {err}") from err


class _Rendered:
    """The page's generated part, made from the file in on_files, once per build."""

    markdown = ""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    results = _results()
    files.append(
        File.generated(config, CHART_PATH, content=throughput_chart(results.throughput))
    )
    # The page lives at the docs root, so the chart's path is relative to it as is.
    _Rendered.markdown = page_markdown(results)
    return files


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    if PERFORMANCE_MARKER not in markdown:
        return markdown
    return markdown.replace(PERFORMANCE_MARKER, _Rendered.markdown)
