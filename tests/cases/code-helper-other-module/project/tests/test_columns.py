from reports.columns import export_csv, parse_columns
from reports.textutil import normalise, slug


def test_parse_columns_keeps_known_in_order():
    assert parse_columns('  ["amount", "bogus", "date"]\n') == ["amount", "date"]


def test_export_csv():
    rows = [{"date": "2024-01-02", "amount": 12, "customer": "ACME"}]
    assert export_csv(rows, "['date', 'amount']") == "date,amount\n2024-01-02,12\n"


def test_text_helpers():
    assert normalise("\ufeff [1] ") == "[1]"
    assert slug("Monthly  Revenue Report") == "monthly-revenue-report"
