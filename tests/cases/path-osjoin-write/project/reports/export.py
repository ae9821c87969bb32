"""Write generated reports into ``EXPORT_DIR`` so the nightly job can pick them up."""

import csv
import io
import os

EXPORT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exports")


def render_csv(rows: list[dict]) -> str:
    """Render a list of dicts as CSV text (header from the first row)."""
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export_report(filename: str, content: str) -> str:
    """Save ``content`` as ``filename`` in the export folder and return its path."""
    os.makedirs(EXPORT_DIR, exist_ok=True)
    with open(os.path.join(EXPORT_DIR, filename), "w", encoding="utf-8") as f:
        f.write(content)
    return f.name


def export_rows(filename: str, rows: list[dict]) -> str:
    """Render ``rows`` as CSV and export them."""
    return export_report(filename, render_csv(rows))
