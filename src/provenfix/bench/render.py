"""Benchmark reports: text table, JSON, Markdown, and one self-contained HTML page with an SVG chart."""

from __future__ import annotations

import json
from html import escape

from provenfix.bench.bandit import DetectionRow
from provenfix.bench.run import BenchResult, ClassSummary

FORMATS: tuple[str, ...] = ("text", "json", "markdown", "html")

_CLASS_HEADERS = ("class", "engine", "cases", "detected", "fix", "verified", "blocked", "kept",
                  "false-verified", "safe", "FP", "verified %", "seconds", "tokens", "cost")
_DETECTION_HEADERS = ("class", "tool", "cases", "detected", "recall", "flagged", "precision")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def _class_cells(s: ClassSummary) -> list[str]:
    return [s.rule, s.engine, str(s.cases), str(s.detected), str(s.fix_produced), str(s.verified),
            str(s.exploit_blocked), str(s.tests_kept), str(s.false_verified), str(s.safe_cases),
            str(s.false_positives), _pct(s.verified_pct), f"{s.seconds:.1f}", str(s.tokens), _money(s.cost_usd)]


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


def _detection_cells(r: DetectionRow) -> list[str]:
    return [r.rule, r.tool, str(r.vulnerable_cases), str(r.detected), _ratio(r.recall), str(r.flagged_cases),
            _ratio(r.precision)]


def _table(headers: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(list(headers)), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def to_dict(result: BenchResult) -> dict:
    """The JSON shape: ``{"cases": [...], "detection": [...], "summary": {...}}``."""
    summaries = result.summaries()
    return {
        "suite": result.suite,
        "cases": [c.to_dict() for c in result.cases],
        "detection": [r.to_dict() for r in result.detection],
        "summary": {
            "seconds": result.seconds,
            "false_verified": result.false_verified,
            "by_class": [s.to_dict() for s in summaries if s.rule != "all"],
            "overall": [s.to_dict() for s in summaries if s.rule == "all"],
        },
    }


def render_json(result: BenchResult) -> str:
    return json.dumps(to_dict(result), indent=2) + "\n"


def render_text(result: BenchResult) -> str:
    out = [f"Benchmark: {result.suite} ({len(result.cases)} case runs, {result.seconds:.0f} s)", ""]
    out += _table(_CLASS_HEADERS, [_class_cells(s) for s in result.summaries()])
    if result.detection:
        out += ["", "Detection, same files (tests excluded):", ""]
        out += _table(_DETECTION_HEADERS, [_detection_cells(r) for r in result.detection])
    bad = [c for c in result.cases if c.false_verified or c.false_positives
           or (c.expect == "fixed" and not c.verified)]
    if bad:
        out += ["", "Cases to look at:"]
        for c in bad:
            what = ("FALSE VERIFIED" if c.false_verified else f"{c.false_positives} false positive(s)"
                    if c.false_positives else "expected fixed, not verified")
            out.append(f"  {c.case_id} ({c.engine}): {what}" + (f" — {c.note}" if c.note else ""))
    return "\n".join(out) + "\n"


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_markdown(result: BenchResult) -> str:
    out = [f"# ProvenFix benchmark: `{result.suite}`", "", "## Fixes per class", "",
           _md_row(list(_CLASS_HEADERS)), _md_row(["---"] * len(_CLASS_HEADERS))]
    out += [_md_row(_class_cells(s)) for s in result.summaries()]
    if result.detection:
        out += ["", "## Detection: ProvenFix vs Bandit", "",
                _md_row(list(_DETECTION_HEADERS)), _md_row(["---"] * len(_DETECTION_HEADERS))]
        out += [_md_row(_detection_cells(r)) for r in result.detection]
    out += ["", "## Cases", "", _md_row(["case", "class", "expect", "engine", "detected", "verified", "blocked",
                                         "kept", "false-verified", "FP", "seconds"]),
            _md_row(["---"] * 11)]
    yn = lambda v: "n/a" if v is None else ("yes" if v else "no")  # noqa: E731
    for c in result.cases:
        out.append(_md_row([c.case_id, c.rule or "safe", c.expect, c.engine, yn(c.detected), yn(c.verified),
                            yn(c.exploit_blocked), yn(c.tests_kept), yn(c.false_verified), str(c.false_positives),
                            f"{c.seconds:.1f}"]))
    return "\n".join(out) + "\n"


_COLOURS = {"verified": "#2e7d32", "provenfix": "#1565c0", "bandit": "#ef6c00"}


def render_svg(result: BenchResult) -> str:
    """A grouped bar chart: per class, verified fixes % per engine, then detection recall per tool."""
    # (legend label, colour key, value per class)
    verified = {(s.rule, s.engine): s.verified_pct for s in result.summaries()}
    recall = {(r.rule, r.tool): (None if r.recall is None else 100 * r.recall) for r in result.detection}
    tools = sorted({r.tool for r in result.detection}, key=lambda t: (t != "provenfix", t))
    series: list[tuple[str, str, dict[str, float | None]]] = [
        (f"verified fixes % ({e})", "verified", {rule: v for (rule, eng), v in verified.items() if eng == e})
        for e in result.engines
    ]
    series += [(f"detection recall % ({t})", t, {rule: v for (rule, tool), v in recall.items() if tool == t})
               for t in tools]
    rules = sorted({s.rule for s in result.summaries() if s.rule != "all"} | {r.rule for r in result.detection})
    bar, gap, top, height, left = 24, 20, 30, 200, 40
    group = bar * len(series) + gap
    width = left + group * max(len(rules), 1) + 10
    legend_y = top + height + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{legend_y + 20 * len(series) + 10}" font-family="sans-serif" font-size="11">',
             "<title>Verified fixes and detection recall per vulnerability class</title>"]
    for pct in (0, 50, 100):
        y = top + height - height * pct / 100
        parts.append(f'<line x1="{left}" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{pct}%</text>')
    for gi, rule in enumerate(rules):
        x0 = left + gi * group + gap / 2
        for si, (label, key, values) in enumerate(series):
            value = values.get(rule)
            v = value or 0.0
            h = height * v / 100
            x = x0 + si * bar
            shown = "n/a" if value is None else f"{v:.0f}%"
            parts.append(f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                         f'fill="{_COLOURS.get(key, "#777")}"><title>{escape(rule)} — {escape(label)}: '
                         f'{shown}</title></rect>'
                         f'<text x="{x + (bar - 2) / 2:.1f}" y="{top + height - h - 3:.1f}" text-anchor="middle" '
                         f'font-size="9">{shown.rstrip("%")}</text>')
        parts.append(f'<text x="{x0 + bar * len(series) / 2:.1f}" y="{top + height + 16}" '
                     f'text-anchor="middle">{escape(rule)}</text>')
    for si, (label, key, _) in enumerate(series):
        y = legend_y + 20 * si
        parts.append(f'<rect x="{left}" y="{y - 10}" width="12" height="12" fill="{_COLOURS.get(key, "#777")}"/>'
                     f'<text x="{left + 18}" y="{y}">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _html_table(headers: tuple[str, ...] | list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(result: BenchResult) -> str:
    """One self-contained page (no external resources): chart, class table, detection table, cases."""
    yn = lambda v: "n/a" if v is None else ("yes" if v else "no")  # noqa: E731
    case_rows = [[c.case_id, c.rule or "safe", c.expect, c.engine, yn(c.detected), yn(c.verified),
                  yn(c.exploit_blocked), yn(c.tests_kept), yn(c.false_verified), str(c.false_positives),
                  f"{c.seconds:.1f}", c.note] for c in result.cases]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>ProvenFix benchmark: {escape(result.suite)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}</style>",
        "</head><body>",
        f"<h1>ProvenFix benchmark: <code>{escape(result.suite)}</code></h1>",
        f"<p>{len(result.cases)} case runs in {result.seconds:.0f} s; false-verified fixes: "
        f"<strong>{result.false_verified}</strong>.</p>",
        render_svg(result),
        "<h2>Fixes per class</h2>",
        _html_table(_CLASS_HEADERS, [_class_cells(s) for s in result.summaries()]),
        "<h2>Detection: ProvenFix vs Bandit (same files, tests excluded)</h2>",
        _html_table(_DETECTION_HEADERS, [_detection_cells(r) for r in result.detection]),
        "<h2>Cases</h2>",
        _html_table(["case", "class", "expect", "engine", "detected", "verified", "blocked", "kept",
                     "false-verified", "FP", "seconds", "note"], case_rows),
        "</body></html>",
        "",
    ])


def render(result: BenchResult, fmt: str) -> str:
    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown, "html": render_html}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    return renderers[fmt](result)
