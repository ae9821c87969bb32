import csv
import os

from exporter.csv_export import export_rows


def test_export_writes_header_and_rows():
    path = export_rows([("Ada", "ada@example.com"), ("Linus", "linus@example.com")])
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        assert rows == [["name", "email"], ["Ada", "ada@example.com"], ["Linus", "linus@example.com"]]
        assert path.endswith(".csv")
    finally:
        os.remove(path)


def test_each_export_gets_its_own_file():
    first, second = export_rows([]), export_rows([])
    try:
        assert first != second
    finally:
        os.remove(first)
        os.remove(second)
