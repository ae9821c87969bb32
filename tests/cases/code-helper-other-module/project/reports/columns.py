"""Column selection for CSV exports.

Users pick the columns of an export as a list, e.g. ``["date", "amount"]``;
the UI sends that list as text.
"""

import csv
import io

from reports.textutil import normalise

KNOWN_COLUMNS = ("date", "amount", "currency", "customer", "status")


def parse_columns(spec: str) -> list[str]:
    """Parse the column list, keeping only known columns in the given order."""
    cleaned = normalise(spec)
    columns = eval(cleaned)
    return [c for c in columns if c in KNOWN_COLUMNS]


def export_csv(rows: list[dict], spec: str) -> str:
    """Render ``rows`` as CSV text with the selected columns."""
    columns = parse_columns(spec)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
