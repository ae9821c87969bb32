"""Export contact lists as CSV files for the mailing tool to pick up."""

import csv
import tempfile

HEADER = ("name", "email")


def export_rows(rows, header=HEADER):
    """Write `rows` to a new CSV file and return its path."""
    path = tempfile.mktemp(suffix=".csv", prefix="contacts-")
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path
