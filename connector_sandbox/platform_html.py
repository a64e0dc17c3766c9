"""The stand-in's one HTML page: connectors and their works, as OpenCTI's
"Data > Ingestion > Connectors" screen shows them.

Everything printed comes from connectors and may be hostile, so every value goes through
``html.escape``; the page also loads nothing (no script, no external asset).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

RECENT_OPERATIONS = 50

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
.status-complete { color: #116329; } .status-progress { color: #9a6700; }
.error { color: #b3261e; } .muted { color: #6e7781; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
ul { margin: 0; padding-left: 1.1rem; }
"""


def render_page(snapshot: dict[str, Any]) -> str:
    """The whole page for a ``PlatformStandIn.snapshot()``."""
    works_by_connector: dict[str, list[dict[str, Any]]] = {}
    for work in snapshot["works"]:
        works_by_connector.setdefault(work["connector_id"], []).append(work)
    connectors = snapshot["connectors"]
    sections = [
        _connector_section(c, works_by_connector.get(c["id"], [])) for c in connectors
    ] or ['<p class="muted">No connector has registered yet.</p>']
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="5">'
        "<title>OpenCTI platform stand-in</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>OpenCTI platform stand-in: connectors and works</h1>"
        '<p class="muted">Refreshes every 5 seconds. The same data as JSON: '
        '<a href="/api/state">/api/state</a>.</p>'
        + "".join(sections)
        + _faults_section(snapshot["faults"])
        + _operations_section(snapshot["operations"])
        + "</body></html>\n"
    )


def _text(value: object) -> str:
    return '<span class="muted">-</span>' if value is None else escape(str(value))


def _connector_section(connector: dict[str, Any], works: list[dict[str, Any]]) -> str:
    scope = ", ".join(str(item) for item in connector["scope"])
    rows = "".join(_work_row(work) for work in reversed(works))
    table = (
        "<table><tr><th>Work</th><th>Status</th><th>Started / completed</th>"
        "<th>Operations (processed / expected)</th><th>Bundles / objects</th>"
        "<th>Messages</th><th>Errors</th></tr>" + rows + "</table>"
        if works
        else '<p class="muted">No work yet.</p>'
    )
    return (
        f"<h2>{_text(connector['name'])}</h2>"
        "<table><tr><th>Id</th><th>Type</th><th>Scope</th><th>Last ping</th>"
        "<th>State</th></tr><tr>"
        f"<td>{_text(connector['id'])}</td><td>{_text(connector['type'])}</td>"
        f"<td>{escape(scope)}</td><td>{_text(connector['last_ping_at'])}</td>"
        f"<td><pre>{_text(connector['connector_state'])}</pre></td></tr></table>"
        + table
    )


def _work_row(work: dict[str, Any]) -> str:
    status = str(work["status"])
    in_error = ' <span class="error">(in error)</span>' if work["in_error"] else ""
    return (
        f"<tr><td>{_text(work['name'])}<br><small class='muted'>{_text(work['id'])}</small></td>"
        f'<td class="status-{escape(status)}">{escape(status)}{in_error}</td>'
        f"<td>{_text(work['timestamp'])}<br>{_text(work['completed_time'])}</td>"
        f"<td>{work['import_processed_number']:d} / {work['import_expected_number']:d}</td>"
        f"<td>{work['bundles_received']:d} / {work['objects_received']:d}</td>"
        f"<td>{_entries(work['messages'])}</td>"
        f'<td class="error">{_entries(work["errors"])}</td></tr>'
    )


def _entries(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return '<span class="muted">-</span>'
    items = []
    for entry in entries:
        source = entry.get("source")
        where = f" <small>(source: {escape(str(source))})</small>" if source else ""
        items.append(
            f"<li>{_text(entry['message'])}{where} "
            f"<small class='muted'>{_text(entry['timestamp'])}</small></li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def _faults_section(faults: list[dict[str, Any]]) -> str:
    if not faults:
        return ""
    rows = "".join(
        f"<tr><td><pre>{escape(json.dumps(fault))}</pre></td></tr>" for fault in faults
    )
    return f"<h2>Active faults</h2><table>{rows}</table>"


def _operations_section(operations: list[dict[str, Any]]) -> str:
    recent = operations[-RECENT_OPERATIONS:]
    rows = "".join(
        f"<tr><td>{_text(op['at'])}</td><td>{_text(op['operation'])}</td>"
        f"<td>{_text(op['outcome'])}</td></tr>"
        for op in reversed(recent)
    )
    return (
        f"<h2>Last {len(recent)} requests</h2>"
        "<table><tr><th>At</th><th>Operation</th><th>Outcome</th></tr>"
        f"{rows}</table>"
    )
