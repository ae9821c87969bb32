"""Constant folding: what an expression of known constants evaluates to, without running any code.

The analysis folds conditions (`if 7 * 18 + num > 200:`, `if 'should' in bar:`, `match guess:`)
so that a branch the code can never take does not carry input to a sink. Only pure operations on
str/bytes/int/float/bool/None are folded, and results are kept small.
"""

from __future__ import annotations

import ast
import operator

NOT_FOLDED = object()
MAX_TEXT = 10_000  # a folded string or bytes longer than this is not worth keeping
CONSTANT_TYPES = (str, bytes, int, float, bool, type(None))

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
}
_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_, ast.IsNot: operator.is_not,
}


def _small(value: object) -> object:
    if isinstance(value, (str, bytes)) and len(value) > MAX_TEXT:
        return NOT_FOLDED
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1 << 64:
        return NOT_FOLDED
    return value if isinstance(value, CONSTANT_TYPES) else NOT_FOLDED


def binary(op: ast.operator, left: object, right: object) -> object:
    fn = _BINARY.get(type(op))
    if fn is None or (isinstance(op, ast.Mod) and isinstance(left, (str, bytes))):  # `%` formatting: not folded
        return NOT_FOLDED
    if isinstance(op, ast.Mult) and isinstance(left, (str, bytes)) != isinstance(right, (str, bytes)):
        count = right if isinstance(left, (str, bytes)) else left
        if not isinstance(count, int) or count > MAX_TEXT:
            return NOT_FOLDED
    try:
        return _small(fn(left, right))
    except Exception:  # TypeError, ZeroDivisionError...: the code itself would fail here
        return NOT_FOLDED


def compare(ops: list[ast.cmpop], values: list[object]) -> object:
    result = True
    for op, left, right in zip(ops, values, values[1:]):
        try:
            result = bool(_COMPARE[type(op)](left, right))
        except Exception:
            return NOT_FOLDED
        if not result:
            return False
    return result


def unary(op: ast.unaryop, operand: object) -> object:
    try:
        if isinstance(op, ast.Not):
            return not operand
        if isinstance(op, ast.USub):
            return _small(-operand)  # type: ignore[operator]
        if isinstance(op, ast.UAdd):
            return _small(+operand)  # type: ignore[operator]
    except Exception:
        pass
    return NOT_FOLDED


def subscript(container: object, key: object) -> object:
    if not isinstance(container, (str, bytes)) or not isinstance(key, (int, slice)) or isinstance(key, bool):
        return NOT_FOLDED
    try:
        return _small(container[key])
    except Exception:
        return NOT_FOLDED


def truth(value: object) -> bool | None:
    """The truth of a folded value; None when it was not folded."""
    return None if value is NOT_FOLDED else bool(value)


def case_matches(pattern: ast.pattern, subject: object) -> bool | None:
    """Whether a `match` case's pattern matches a constant subject; None when it cannot be told."""
    match pattern:
        case ast.MatchAs(pattern=None):
            return True  # `case _:` and `case name:`
        case ast.MatchAs(pattern=inner):
            return case_matches(inner, subject)
        case ast.MatchValue(value=ast.Constant(value=v)) | ast.MatchSingleton(value=v):
            return type(v) is type(subject) and v == subject or (v is None and subject is None)
        case ast.MatchOr(patterns=patterns):
            results = [case_matches(p, subject) for p in patterns]
            if any(r is True for r in results):
                return True
            return False if all(r is False for r in results) else None
    return None
