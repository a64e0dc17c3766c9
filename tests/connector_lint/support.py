"""Run the checker on a source written in a test."""

from __future__ import annotations

from textwrap import dedent

from connector_lint import Settings, check_source


def findings(source: str, settings: Settings | None = None) -> list[str]:
    """``line:col CODE message`` for each finding in ``source``, in order."""
    return [
        f"{f.line}:{f.col} {f.code} {f.message}"
        for f in check_source(dedent(source), "connector.py", settings)
    ]
