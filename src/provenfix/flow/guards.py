"""Guards: what a condition, once known to hold (or not), proves about the values it tested.

Read precisely, because a guard that is read too generously hides real bugs:
- an allow-list (`x in {"a", "b"}`, `x in ALLOWED`, `x == "a"`, `re.fullmatch(SAFE, x)`, `x.isdigit()`)
  makes `x` safe for every sink;
- a containment check makes a path safe for file sinks only, and only when the path was normalised
  first (`realpath`/`abspath`/`normpath`/`.resolve()`) and the comparison respects separators
  (`startswith(BASE + os.sep)`, `is_relative_to`, `commonpath([BASE, p]) == BASE`), since
  `Path('/srv/files/../../etc/passwd').is_relative_to('/srv/files')` is True and
  `'/srv/files2'.startswith('/srv/files')` too.

The walker applies a guard's facts to the branch where it holds; when the other branch always
leaves (`return`, `raise`, `abort()`), that is every statement after the `if`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import NamedTuple

ALL = "*"  # the value is safe for every kind of sink
NORMALISERS = frozenset({"os.path.realpath", "os.path.abspath", "os.path.normpath", "posixpath.realpath",
                         "posixpath.abspath", "posixpath.normpath", "os.path.normcase"})
PARENT_REFERENCES = frozenset({"..", "../", "..\\", "/.."})
CHAR_CLASS_CHECKS = frozenset({"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier"})
REGEX_FULL = frozenset({"re.fullmatch"})
REGEX_START = frozenset({"re.match", "re.search"})
URL_PARSERS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit"})
URL_HOST_FIELDS = frozenset({"netloc", "hostname"})
# A URL whose host the code allow-listed leads nowhere else: neither the browser (a redirect) nor the server (a fetch).
URL_KINDS = ("redirect", "ssrf")
EXIT_CALLS = frozenset({"flask.abort", "werkzeug.exceptions.abort", "sys.exit", "builtins.exit", "os._exit",
                        "builtins.quit", "django.shortcuts.Http404"})


class Fact(NamedTuple):
    name: str  # the dotted name the guard speaks of: "p", "self.path"
    kinds: str  # ALL, or the one sink kind it defends ("path")


class Reader(NamedTuple):
    """What a guard needs to know from the walker."""

    resolve: Callable[[ast.expr], str | None]  # canonical name of a reference
    constant: Callable[[ast.expr], object]  # the folded constant of an expression, or fold.NOT_FOLDED
    normalised: Callable[[ast.expr], bool]  # the expression holds a normalised path
    guard_calls: Mapping[str, str]  # a check's canonical name → the one sink kind it defends its first argument for
    url_source: Callable[[str], str | None]  # the variable a parsed URL (`u = urlparse(x)`) was parsed from
    quoted_kinds: frozenset[str]  # the kinds for which input without a quote character is safe


def facts(test: ast.expr, holds: bool, reader: Reader) -> list[Fact]:
    """What `test` proves when its truth is `holds`."""
    return _each(test, holds, reader) + _quoted_literal(_atoms(test, holds), reader)


def _each(test: ast.expr, holds: bool, reader: Reader) -> list[Fact]:
    match test:
        case ast.UnaryOp(op=ast.Not(), operand=inner):
            return _each(inner, not holds, reader)
        case ast.BoolOp(op=ast.And(), values=values) if holds:
            return [f for v in values for f in _each(v, True, reader)]
        case ast.BoolOp(op=ast.Or(), values=values) if not holds:
            return [f for v in values for f in _each(v, False, reader)]
        case ast.BoolOp(op=ast.And(), values=values):  # not all of them hold: one of them fails
            return _either([_each(v, False, reader) for v in values])
        case ast.BoolOp(op=ast.Or(), values=values):  # one of them holds
            return _either([_each(v, True, reader) for v in values])
        case ast.Name(id=name) if not holds:  # a falsy value is empty: nothing for any sink to fear
            return [Fact(name, ALL)]
        case ast.Compare(left=left, ops=[op], comparators=[right]):
            return _comparison(left, op, right, holds, reader)
        case ast.Call() if holds:
            return _check_call(test, reader)
    return []


def _either(branches: list[list[Fact]]) -> list[Fact]:
    """What holds whichever of the branches' facts hold: `(u or x) and not check(u)` is false when u
    is empty or checked, so u is safe for what the check defends."""
    common: dict[str, set[str]] | None = None
    for facts in branches:
        kinds: dict[str, set[str]] = {}
        for fact in facts:
            kinds.setdefault(fact.name, set()).add(fact.kinds)
        if common is None:
            common = kinds
            continue
        common = {name: (kinds[name] if ALL in common[name] else common[name] if ALL in kinds[name]
                         else common[name] & kinds[name]) for name in common.keys() & kinds.keys()}
    return [Fact(name, kind) for name, found in (common or {}).items() for kind in sorted(found)]


def _atoms(test: ast.expr, holds: bool) -> list[tuple[ast.expr, bool]]:
    """The conditions that all hold (with their truth) when `test` is `holds`."""
    match test:
        case ast.UnaryOp(op=ast.Not(), operand=inner):
            return _atoms(inner, not holds)
        case ast.BoolOp(op=ast.And(), values=values) if holds:
            return [a for v in values for a in _atoms(v, True)]
        case ast.BoolOp(op=ast.Or(), values=values) if not holds:
            return [a for v in values for a in _atoms(v, False)]
    return [(test, holds)]


def _quoted_literal(atoms: list[tuple[ast.expr, bool]], reader: Reader) -> list[Fact]:
    """`x.startswith(q) and x.endswith(q) and q not in x[1:-1]`: `x` is one quoted string literal,
    which `eval` can only turn into that string."""
    ends: dict[tuple[str, str], set[str]] = {}
    inside: set[tuple[str, str]] = set()
    for expr, truth in atoms:
        if (truth and isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and len(expr.args) == 1
                and expr.func.attr in ("startswith", "endswith") and (name := _dotted(expr.func.value))):
            quote = reader.constant(expr.args[0])
            if quote in ("'", '"'):
                ends.setdefault((name, quote), set()).add(expr.func.attr)
        elif (not truth and isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], ast.In)
              and isinstance(expr.comparators[0], ast.Subscript) and (name := _dotted(expr.comparators[0].value))
              and ast.unparse(expr.comparators[0].slice) == "1:-1"):
            quote = reader.constant(expr.left)
            if quote in ("'", '"'):
                inside.add((name, quote))
    return [Fact(name, "code") for (name, quote), which in ends.items()
            if which == {"startswith", "endswith"} and (name, quote) in inside]


def _comparison(left: ast.expr, op: ast.cmpop, right: ast.expr, holds: bool, reader: Reader) -> list[Fact]:
    positive = isinstance(op, (ast.In, ast.Eq, ast.Is)) == holds
    if not positive:
        # `if "../" in name: return`: without a parent reference, a name put after a base stays under it.
        if isinstance(op, (ast.In, ast.NotIn)) and reader.constant(left) in PARENT_REFERENCES and (name := _dotted(right)):
            return [Fact(name, "path")]
        # `if "'" in x: return`: x cannot leave the quoted literal it is put in.
        if isinstance(op, (ast.In, ast.NotIn)) and reader.constant(left) in ("'", '"') and (name := _dotted(right)):
            return [Fact(name, kind) for kind in sorted(reader.quoted_kinds)]
        return []
    if (isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) and (url := _host_of(left, reader))
            and _names_hosts(right, reader)):
        return [Fact(url, kind) for kind in URL_KINDS]
    if isinstance(op, (ast.In, ast.NotIn)) and _is_allow_list(right, reader) and (name := _dotted(left)):
        return [Fact(name, ALL)]
    if isinstance(op, (ast.Eq, ast.NotEq)):
        for subject, other in ((left, right), (right, left)):
            if (name := _dotted(subject)) and _is_constant(other, reader):
                return [Fact(name, ALL)]
            # `os.path.commonpath([BASE, p]) == BASE`
            if isinstance(subject, ast.Call) and reader.resolve(subject.func) == "os.path.commonpath" and subject.args:
                parts = subject.args[0].elts if isinstance(subject.args[0], (ast.List, ast.Tuple)) else []
                return [Fact(name, "path") for p in parts if reader.normalised(p) and (name := _checked_name(p, reader))]
    return []


def _host_of(expr: ast.expr, reader: Reader) -> str | None:
    """`x` in `urlparse(x).netloc`, or in `u.hostname` after `u = urlsplit(x)`: the URL whose host is tested."""
    if not (isinstance(expr, ast.Attribute) and expr.attr in URL_HOST_FIELDS):
        return None
    parsed = expr.value
    if isinstance(parsed, ast.Call) and reader.resolve(parsed.func) in URL_PARSERS and parsed.args:
        return _dotted(parsed.args[0])
    return reader.url_source(name) if (name := _dotted(parsed)) else None


def _names_hosts(expr: ast.expr, reader: Reader) -> bool:
    """Host names the code chose: a constant, or an allow-list, never holding "" (which a
    relative URL has, and `/\\host` too)."""
    if isinstance(expr, (ast.Set, ast.List, ast.Tuple)):
        return bool(expr.elts) and all(isinstance(c := reader.constant(e), str) and c for e in expr.elts)
    value = reader.constant(expr)
    if isinstance(value, str):
        return bool(value)
    return _is_allow_list(expr, reader) and not isinstance(expr, ast.Dict)


def _check_call(call: ast.Call, reader: Reader) -> list[Fact]:
    name = reader.resolve(call.func)
    if name in REGEX_FULL or (name in REGEX_START and _anchored(call.args[0] if call.args else None, reader)):
        subject = call.args[1] if len(call.args) > 1 else None
        return [Fact(n, ALL)] if subject is not None and (n := _dotted(subject)) else []
    checked = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "url"), None)
    if name in reader.guard_calls and checked is not None and (n := _dotted(checked)):
        return [Fact(n, reader.guard_calls[name])]
    if not isinstance(call.func, ast.Attribute):
        return []
    method, subject = call.func.attr, call.func.value
    if method == "fullmatch" and call.args and (n := _dotted(call.args[0])):  # a compiled pattern
        return [Fact(n, ALL)]
    if method in CHAR_CLASS_CHECKS and not call.args and (n := _dotted(subject)):
        return [Fact(n, ALL)]
    if method == "is_relative_to" and reader.normalised(subject) and (n := _checked_name(subject, reader)):
        return [Fact(n, "path")]
    if method == "startswith" and call.args and reader.normalised(subject) and _ends_with_separator(call.args[0], reader):
        return [Fact(n, "path")] if (n := _checked_name(subject, reader)) else []
    return []


def _checked_name(expr: ast.expr, reader: Reader) -> str | None:
    """The variable a normalised path was made from: `p` in `os.path.realpath(p)` or `Path(p).resolve()`."""
    while isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "resolve":
            expr = expr.func.value
        elif expr.args:
            expr = expr.args[-1] if reader.resolve(expr.func) in ("os.path.join", "pathlib.Path") else expr.args[0]
        else:
            return None
    return _dotted(expr)


def _ends_with_separator(expr: ast.expr, reader: Reader) -> bool:
    """`BASE + os.sep`, `BASE + "/"`, `os.path.join(BASE, "")` or a constant ending in "/"."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        right = expr.right
        return reader.resolve(right) in ("os.sep", "os.path.sep") or _ends_with_separator(right, reader)
    if isinstance(expr, ast.Call) and reader.resolve(expr.func) == "os.path.join":
        return bool(expr.args) and _is_empty_string(expr.args[-1], reader)
    if isinstance(expr, ast.JoinedStr) and expr.values:
        last = expr.values[-1]
        return isinstance(last, ast.Constant) and str(last.value).endswith("/")
    value = reader.constant(expr)
    return isinstance(value, str) and value.endswith("/")


def _is_empty_string(expr: ast.expr, reader: Reader) -> bool:
    return reader.constant(expr) == ""


def _is_allow_list(expr: ast.expr, reader: Reader) -> bool:
    """A literal collection of constants, or a module-level constant collection (`ALLOWED`, `settings.X`)."""
    if isinstance(expr, (ast.Set, ast.List, ast.Tuple)):
        return all(_is_constant(e, reader) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        return all(k is not None and _is_constant(k, reader) for k in expr.keys)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "keys":
        return _is_allow_list(expr.func.value, reader)
    name = _dotted(expr)
    return bool(name) and name.rsplit(".", 1)[-1].isupper()


def _is_constant(expr: ast.expr, reader: Reader) -> bool:
    from provenfix.flow.fold import NOT_FOLDED

    return reader.constant(expr) is not NOT_FOLDED


def _anchored(pattern: ast.expr | None, reader: Reader) -> bool:
    value = reader.constant(pattern) if pattern is not None else None
    return isinstance(value, str) and value.startswith("^") and value.endswith(("$", r"\Z"))


def always_leaves(body: list[ast.stmt], resolve: Callable[[ast.expr], str | None]) -> bool:
    """The block never falls through: it ends in return/raise/continue or a call that exits. (A
    `break` does not count: what it leaves behind is what the code after the loop sees.)"""
    if not body:
        return False
    last = body[-1]
    match last:
        case ast.Return() | ast.Raise() | ast.Continue():
            return True
        case ast.Expr(value=ast.Call(func=func)):
            name = resolve(func) or ""
            return name in EXIT_CALLS or name.rsplit(".", 1)[-1] in ("abort", "exit")
        case ast.If(body=inner, orelse=orelse):
            return always_leaves(inner, resolve) and always_leaves(orelse, resolve)
    return False


def _dotted(e: ast.expr) -> str | None:
    parts = []
    while isinstance(e, ast.Attribute):
        parts.append(e.attr)
        e = e.value
    return ".".join([e.id, *reversed(parts)]) if isinstance(e, ast.Name) else None
