"""HTML tables for the Playground notebook: the connector's log records and the works.

Jupyter shows any object with a ``_repr_html_`` method as HTML, so the notebook needs neither
pandas nor IPython's display helpers. Every value is escaped: log messages quote whatever the
source sent, and a page must not run markup that came from a payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class HtmlTable:
    """Rows of text under a header row; a cell's line breaks are kept."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.headers):
                raise ValueError(
                    f"row {number} has {len(row)} cells, the header has {len(self.headers)}"
                )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{escape(header)}</th>" for header in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(value)}</td>" for value in row) + "</tr>"
            for row in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def log_table(records: Iterable[Mapping[str, Any]]) -> HtmlTable:
    """One row per log record, as pycti writes them: one JSON object per line."""
    return HtmlTable(
        ("Time", "Level", "Logger", "Message", "Attributes"),
        tuple(
            (
                _time_of_day(str(record.get("timestamp", ""))),
                str(record.get("level", "")),
                str(record.get("name", "")),
                str(record.get("message", "")),
                _attributes(record.get("attributes")),
            )
            for record in records
        ),
    )


def works_table(works: Iterable[Mapping[str, Any]]) -> HtmlTable:
    """One row per work, as the platform stand-in recorded it (``PlatformStandIn.works``)."""
    return HtmlTable(
        ("Work", "Status", "In error", "Messages", "Errors", "Bundles", "Objects"),
        tuple(
            (
                str(work["name"]),
                str(work["status"]),
                str(work["in_error"]),
                _messages(work["messages"]),
                _messages(work["errors"]),
                str(work["bundles_received"]),
                str(work["objects_received"]),
            )
            for work in works
        ),
    )


def _time_of_day(timestamp: str) -> str:
    """``2026-11-29T03:03:25.180919Z`` -> ``03:03:25.180``: one run fits in one day."""
    date, separator, time = timestamp.partition("T")
    return time[:12] if separator else date


def _attributes(attributes: object) -> str:
    """One ``name: value`` line per field; values that are not text as JSON."""
    if attributes is None:
        return ""
    if not isinstance(attributes, Mapping):
        # pycti passes some attributes already turned into text.
        return str(attributes)
    return "\n".join(
        f"{name}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for name, value in attributes.items()
    )


def _messages(entries: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(str(entry["message"]) for entry in entries)
