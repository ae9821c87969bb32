import csv

from nightly.export import export_orders


def test_export_writes_all_orders(tmp_path):
    path = export_orders(str(tmp_path))
    with open(path, newline="") as fh:
        assert list(csv.reader(fh)) == [["order", "total"], ["A-1001", "19.90"], ["A-1002", "5.00"]]
