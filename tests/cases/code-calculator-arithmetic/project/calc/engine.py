"""Evaluate the arithmetic formulas users type into budget cells."""

import math

PRECISION = 2


def evaluate(expr: str) -> float:
    """Value of an arithmetic expression such as ``"2+3*4"`` or ``"(1.5+2)/7"``."""
    value = eval(expr)
    if not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {expr!r}")
    return value


def cell_value(formula: str) -> float:
    """Cells start with '='; anything else is a plain number."""
    if formula.startswith("="):
        return round(evaluate(formula[1:]), PRECISION)
    return float(formula)


def column_total(formulas: list[str]) -> float:
    """Sum of the cells, ignoring empty ones."""
    return math.fsum(cell_value(f) for f in formulas if f.strip())
