import pytest

from calc.engine import cell_value, column_total, evaluate


def test_operator_precedence():
    assert evaluate("2+3*4") == 14


def test_parentheses_division_and_power():
    assert evaluate("(1.5+2)/7") == 0.5
    assert evaluate("2**10 - -1") == 1025


def test_cells_and_totals():
    assert cell_value("=10/3") == 3.33
    assert cell_value("4.25") == 4.25
    assert column_total(["=1+1", "", "3"]) == 5.0


def test_non_numeric_result_is_rejected():
    with pytest.raises(ValueError):
        evaluate("'abc'")
