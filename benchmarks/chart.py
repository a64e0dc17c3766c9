"""The Performance page's chart, as SVG written with the standard library.

Two panels side by side, IOCs per second and peak memory, with one bar per number of IOCs
for clean and for faulty data. A white background keeps it readable in the dark theme.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from benchmarks.results import ThroughputPoint

WIDTH, HEIGHT = 760, 300
PANEL_WIDTH, PANEL_HEIGHT = 330, 190
TOP, LEFT_MARGIN = 50, 60
COLORS = {False: "#3f51b5", True: "#ff7043"}  # clean: indigo, faulty: deep orange
LABELS = {False: "clean data", True: "10% faulty"}


def throughput_chart(points: Sequence[ThroughputPoint]) -> str:
    """The SVG document; it says so in words when there is nothing measured yet."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" '
        'role="img" aria-label="Connector throughput and peak memory by number of IOCs">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if not points:
        parts.append('<text x="20" y="40">No throughput measured yet.</text>')
    else:
        parts += _panel(points, 0, "IOCs per second", lambda p: p.ids_per_second)
        parts += _panel(points, 1, "Peak memory (MiB)", lambda p: p.peak_rss_mib)
        parts += _legend()
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _panel(
    points: Sequence[ThroughputPoint],
    index: int,
    title: str,
    value: Callable[[ThroughputPoint], float],
) -> list[str]:
    left = LEFT_MARGIN + index * (PANEL_WIDTH + 50)
    bottom = TOP + PANEL_HEIGHT
    sizes = sorted({p.ids for p in points})
    top_value = max(value(p) for p in points) * 1.15
    group_width = PANEL_WIDTH / len(sizes)
    bar_width = min(40.0, group_width / 3)
    out = [
        f'<text x="{left}" y="{TOP - 20}" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{bottom}" x2="{left + PANEL_WIDTH}" y2="{bottom}" '
        'stroke="#555"/>',
    ]
    for position, size in enumerate(sizes):
        center = left + group_width * (position + 0.5)
        out.append(
            f'<text x="{center:.1f}" y="{bottom + 18}" text-anchor="middle">'
            f"{size:,} IOCs</text>"
        )
        for offset, faulty in ((-1, False), (0, True)):
            point = _find(points, size, faulty)
            if point is None:
                continue
            height = value(point) / top_value * PANEL_HEIGHT
            x = center + offset * bar_width
            out += [
                f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{bar_width:.1f}" '
                f'height="{height:.1f}" fill="{COLORS[faulty]}"/>',
                f'<text x="{x + bar_width / 2:.1f}" y="{bottom - height - 4:.1f}" '
                f'text-anchor="middle" font-size="11">{value(point):,.0f}</text>',
            ]
    return out


def _find(
    points: Sequence[ThroughputPoint], size: int, faulty: bool
) -> ThroughputPoint | None:
    return next(
        (p for p in points if p.ids == size and (p.faulty_share > 0) == faulty), None
    )


def _legend() -> list[str]:
    out = []
    for index, faulty in enumerate((False, True)):
        x = LEFT_MARGIN + index * 140
        y = HEIGHT - 22
        out += [
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{COLORS[faulty]}"/>',
            f'<text x="{x + 18}" y="{y}">{LABELS[faulty]}</text>',
        ]
    return out
