"""The HTML report's summary chart: horizontal stacked bars as inline SVG, no script, no font files.

A fix run stacks each bar by verdict, a scan by severity; one bar per severity, then one per rule.
Labels (rule ids) come from detectors and are escaped like everything else.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from provenfix.model import Severity, Status

# Hues that stay apart for the common colour-vision deficiencies and on a printout.
COLOURS: dict[str, str] = {
    Status.VERIFIED.value: "#1a7f37",
    Status.REJECTED.value: "#cf222e",
    Status.UNFIXED.value: "#bf8700",
    Severity.CRITICAL.value: "#82071e",
    Severity.HIGH.value: "#cf222e",
    Severity.MEDIUM.value: "#d4a72c",
    Severity.LOW.value: "#6e7781",
}

_LABEL_W, _BAR_W, _ROW_H, _BAR_H, _HEAD_H = 150, 380, 24, 16, 26


def stacked_bars(groups: list[tuple[str, list[tuple[str, Counter[str]]]]], keys: list[str]) -> str:
    """`groups`: (heading, [(row label, count per key)]); every bar on one scale so rows compare."""
    most = max((sum(c.values()) for _, rows in groups for _, c in rows), default=0) or 1
    y, parts = 0, []
    for heading, rows in groups:
        parts.append(f'<text x="0" y="{y + 17}" font-weight="600">{escape(heading)}</text>')
        y += _HEAD_H
        for label, counts in rows:
            parts.append(_bar(label, counts, keys, y, most))
            y += _ROW_H
        y += 6
    width = _LABEL_W + _BAR_W + 50
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{y}" '
            f'viewBox="0 0 {width} {y}" font-family="system-ui,sans-serif" font-size="12" fill="#1f2328">'
            "<title>Findings by severity and by rule</title>" + "".join(parts) + "</svg>")


def _bar(label: str, counts: Counter[str], keys: list[str], y: int, most: int) -> str:
    shown = label if len(label) <= 22 else label[:21] + "…"
    parts = [f'<text x="{_LABEL_W - 8}" y="{y + 13}" text-anchor="end"><title>{escape(label)}</title>{escape(shown)}</text>']
    x = float(_LABEL_W)
    for key in keys:
        if counts[key]:
            w = _BAR_W * counts[key] / most
            parts.append(f'<rect x="{x:.1f}" y="{y + 1}" width="{w:.1f}" height="{_BAR_H}" fill="{COLOURS[key]}">'
                         f"<title>{escape(label)}: {counts[key]} {key}</title></rect>")
            x += w
    parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{sum(counts.values())}</text>')
    return "".join(parts)


def legend(keys: list[str], counts: Counter[str]) -> str:
    """The colour key under the chart, with the totals: the chart is read without hovering."""
    items = "".join(f'<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" '
                    f'fill="{COLOURS[k]}"/></svg> {counts[k]} {k}</li>' for k in keys)
    return f'<ul class="legend">{items}</ul>'
