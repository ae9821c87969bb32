"""SQL injection (CWE-89): bind values as parameters instead of splicing them into the SQL.

Rewrites ``<obj>.execute(Q)`` where ``Q`` is built with ``+``, f-strings, ``%``, ``str.format``
or a local name assigned once earlier in the same function (in the call's block or one
enclosing it) and extended with ``+=`` (also inside ``if``/``with``):

- ``cur.execute("SELECT * FROM users WHERE name = '" + name + "'")``
  → ``cur.execute("SELECT * FROM users WHERE name = ?", (name,))``
- a value inside a quoted literal loses the quotes; literal text around it moves into the
  parameter: ``"... LIKE '%" + term + "%'"`` → ``"... LIKE ?"`` with ``f"%{term}%"``
- an unquoted value becomes a placeholder; ``str(uid)`` is unwrapped to ``uid``
- a query built over several statements is rewritten statement by statement
  (``q += " AND title LIKE ?"``); the values go as a tuple to ``execute`` when every
  statement runs unconditionally and the values cannot change before the call, else into a
  ``params`` list filled next to each statement.

Placeholders follow the driver's paramstyle: ``?`` for ``qmark`` (sqlite3), ``%s`` for
``format`` (psycopg, pymysql), where every literal ``%`` left in the SQL becomes ``%%``.
All other SQL text is kept as it was.

``fix_sql_helper`` rewrites a project function whose single ``return`` builds a query so it
returns ``(sql, params)``; callers are then fixed with ``query_from_helper=True``:
``cur.execute(*helper(args))``.

Refuses (``Unfixable``) ``executemany`` with a built query; ``execute`` that already has
parameters; a value in an identifier position (table or column name after FROM/INTO/UPDATE/
JOIN/ORDER BY/GROUP BY, a column before an operator): "identifier from input cannot be a bound
parameter; needs an allow-list"; an ``IN (...)`` list built from input; a value in any other
SQL-syntax position or inside a comment; a query that is not built from literals; a query
variable read elsewhere, assigned twice, or extended in a loop.
"""

from __future__ import annotations

from typing import Literal

import libcst as cst

from provenfix.codemods import _binding
from provenfix.codemods._cst import Document, Edits, plain_call, single_return
from provenfix.codemods._sqltext import Param, Parametrized, parametrize
from provenfix.codemods._strings import Part, Value, flatten, quote_of, string_literal, value_expression, with_origin
from provenfix.codemods.base import Span, Unfixable

Paramstyle = Literal["qmark", "format"]
_HELPER_RETURNS = "tuple[str, tuple[object, ...]]"


def fix_sql(source: str, call: Span, *, paramstyle: Paramstyle, query_from_helper: bool = False) -> str:
    """Rewrite the ``.execute()`` call at ``call`` to pass its values as bound parameters."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
    if method == "executemany":
        raise Unfixable("executemany with a built query: the values must move into each row's parameters by hand")
    if method != "execute":
        raise Unfixable("not an .execute() call")
    if len(node.args) > 1:
        raise Unfixable("execute already has parameters")
    if len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
        raise Unfixable("execute is not called with one positional query")
    query = node.args[0].value
    edits = Edits()
    if query_from_helper:
        if not isinstance(query, cst.Call):
            raise Unfixable("query_from_helper expects the query to be a call of the helper")
        edits.put_call(node, lambda updated: updated.with_changes(args=[updated.args[0].with_changes(star="*")]))
        return doc.apply(edits)
    sql, params = _parametrized(doc, query, edits, paramstyle)

    def rewrite(updated: cst.Call) -> cst.Call:
        first = updated.args[0]
        return updated.with_changes(
            args=[
                first.with_changes(
                    value=sql,
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                    whitespace_after_arg=cst.SimpleWhitespace(""),
                ),
                cst.Arg(params, comma=first.comma, whitespace_after_arg=first.whitespace_after_arg),
            ]
        )

    edits.put_call(node, rewrite)
    return doc.apply(edits)


def fix_sql_helper(source: str, function: Span, *, paramstyle: Paramstyle) -> str:
    """Make the function at ``function`` return ``(sql_with_placeholders, params)``."""
    doc = Document(source)
    func = doc.locate(function, cst.FunctionDef, "function definition")
    returned = single_return(func)
    assert returned.value is not None
    edits = Edits()
    sql, params = _parametrized(doc, returned.value, edits, paramstyle)
    if isinstance(params, cst.Name):
        params = cst.Call(func=cst.Name("tuple"), args=[cst.Arg(params)])
    pair = cst.Tuple([cst.Element(sql), cst.Element(params)], lpar=[], rpar=[])
    edits.put(returned, returned.with_changes(value=pair))
    if (
        func.returns is not None
        and isinstance(func.returns.annotation, cst.Name)
        and func.returns.annotation.value == "str"
    ):
        edits.put(func.returns.annotation, cst.parse_expression(_HELPER_RETURNS))
    return doc.apply(edits)


def _parametrized(
    doc: Document, query: cst.BaseExpression, edits: Edits, paramstyle: Paramstyle
) -> tuple[cst.BaseExpression, cst.BaseExpression]:
    """The new query expression and the parameters expression; records edits to local statements."""
    if isinstance(query, cst.Name):
        return _from_local(doc, query, edits, paramstyle)
    if (
        isinstance(query, cst.BinaryOperation)
        and isinstance(query.operator, cst.Add)
        and isinstance(query.left, cst.Name)
        and (suffix := flatten(query.right)) is not None
        and all(not isinstance(p, Value) for p in suffix)
    ):  # execute(sql + " ORDER BY id"): the local query plus constant text at the call
        _, params = _from_local(doc, query.left, edits, paramstyle, suffix=suffix)
        return query, params
    parts = flatten(query)
    if parts is None:
        raise Unfixable("the query is not a string built from literals (e.g. a value passed straight in)")
    result = _parametrize(parts, paramstyle)
    quote = quote_of(query)
    return string_literal(result.texts[0], quote), _tuple([_param(p, quote) for p in result.params])


def _parametrize(parts: list[Part], paramstyle: Paramstyle) -> Parametrized:
    if paramstyle not in ("qmark", "format"):
        raise Unfixable(f"unsupported paramstyle {paramstyle!r}")
    result = parametrize(
        parts, placeholder="?" if paramstyle == "qmark" else "%s", escape_percent=paramstyle == "format"
    )
    if not result.params:
        raise Unfixable("the query splices in no values; nothing to parametrize")
    return result


def _from_local(
    doc: Document, sink: cst.Name, edits: Edits, paramstyle: Paramstyle, suffix: list[Part] | None = None
) -> tuple[cst.BaseExpression, cst.BaseExpression]:
    """``suffix``: constant text appended at the call, which must come out of the rewrite unchanged."""
    binding = _binding.resolve(doc, sink)
    if binding.used_elsewhere:
        raise Unfixable(f"`{sink.value}` is also used elsewhere; cannot track what else reads the query")
    parts: list[Part] = []
    for origin, definition in enumerate(binding.definitions):
        flat = flatten(definition.value)
        if flat is None and origin:
            flat = [Value(definition.value)]  # `q += x` on a string: x is a str
        if flat is None:
            raise Unfixable(f"`{sink.value}` is not a string built from literals")
        parts += with_origin(flat, origin)
    tail = len(binding.definitions)
    if suffix:
        parts += with_origin(suffix, tail)
    result = _parametrize(parts, paramstyle)
    if suffix and (
        any(p.origin == tail for p in result.params)
        or result.texts.get(tail, "") != "".join(p.value for p in suffix if not isinstance(p, Value))
    ):
        raise Unfixable(f"the text appended to `{sink.value}` at the call takes part in quoting a value")
    for origin, definition in enumerate(binding.definitions):
        text = string_literal(result.texts.get(origin, ""), quote_of(definition.value))
        edits.put(definition.node, definition.node.with_changes(value=text))
    quote = quote_of(binding.definitions[0].value)
    if binding.straight_line and _stable(doc, binding, result.params):
        return sink, _tuple([_param(p, quote) for p in result.params])
    return sink, _params_list(binding, result.params, quote, edits)


def _stable(doc: Document, binding: _binding.Binding, params: list[Param]) -> bool:
    """The values read the same at the execute call as where they were spliced in."""
    end = doc.end(binding.sink_outer)
    for param in params:
        start = doc.start(binding.definitions[param.origin].node)
        for part in param.parts:
            if isinstance(part, Value) and (
                not _binding.is_pure(part.expr)
                or _binding.rebound_between(doc, binding.scope, _binding.names_in(part.expr), start, end)
            ):
                return False
    return True


def _params_list(binding: _binding.Binding, params: list[Param], quote: str, edits: Edits) -> cst.Name:
    """Collect the values in a list next to each statement, so conditional ``+=`` keep their values."""
    if not all(d.alone for d in binding.definitions):
        raise Unfixable(f"`{binding.name}` is built on lines shared with other statements")
    var = _binding.free_name(binding.scope, "params", f"{binding.name}_params")
    if var is None:
        raise Unfixable("no free name for the parameter list")
    for origin, definition in enumerate(binding.definitions):
        mine = [_param(p, quote) for p in params if p.origin == origin]
        if origin == 0:
            statement: cst.BaseSmallStatement = cst.Assign(
                [cst.AssignTarget(cst.Name(var))], cst.List([cst.Element(v) for v in mine])
            )
        elif len(mine) == 1:
            statement = cst.Expr(plain_call(cst.Attribute(cst.Name(var), cst.Name("append")), mine[0]))
        elif mine:
            statement = cst.AugAssign(cst.Name(var), cst.AddAssign(), cst.List([cst.Element(v) for v in mine]))
        else:
            continue
        edits.insert_after(definition.line, cst.SimpleStatementLine([statement]))
    return cst.Name(var)


def _param(param: Param, quote: str) -> cst.BaseExpression:
    parts = param.parts
    if len(parts) == 1 and isinstance(parts[0], Value) and parts[0].conversion is None and parts[0].spec is None:
        return _unwrap_str(parts[0].expr)
    return value_expression(list(parts), quote[0], stringify=False)


def _unwrap_str(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``str(uid)`` only made the value splice-able; the driver binds ``uid`` itself."""
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "str"
        and len(expr.args) == 1
        and expr.args[0].keyword is None
        and not expr.args[0].star
    ):
        return expr.args[0].value
    return expr


def _tuple(values: list[cst.BaseExpression]) -> cst.Tuple:
    return cst.Tuple([cst.Element(v) for v in values])
