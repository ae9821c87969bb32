"""Render a `Report` in one of the supported formats: one module per format."""

from __future__ import annotations

from provenfix.model import Report
from provenfix.report.html import render_html
from provenfix.report.json_report import render_json
from provenfix.report.markdown import render_markdown
from provenfix.report.sarif import render_sarif
from provenfix.report.text import render_text

FORMATS = ("text", "json", "sarif", "markdown", "html")

__all__ = ["FORMATS", "render"]


def render(report: Report, fmt: str, *, version: str, color: bool = False, width: int = 100) -> str:
    """The report as a string ending in a newline; `color` and `width` only affect text.

    Raises ValueError for a format not in FORMATS.
    """
    if fmt == "text":
        return render_text(report, version=version, color=color, width=width)
    if fmt == "json":
        return render_json(report, version=version)
    if fmt == "sarif":
        return render_sarif(report, version=version)
    if fmt == "markdown":
        return render_markdown(report, version=version)
    if fmt == "html":
        return render_html(report, version=version)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
