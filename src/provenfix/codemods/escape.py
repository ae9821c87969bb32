"""Pass every value spliced into a string through an escaping function.

``f"(uid={name})"`` → ``f"(uid={escape_filter_chars(name)})"``: the fix of query languages
whose library ships the escaping (LDAP filters). The string may be built with ``+``, an
f-string, ``%``, ``str.format`` or ``"".join``, at the sink or in a local name assigned once.
A value not known to be a str is passed as ``str(value)``, as formatting did.

Refuses (``Unfixable``) a string not built from literals (the whole filter from input) and one
built over several statements.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from provenfix.codemods import _binding
from provenfix.codemods._cst import Document, Edits
from provenfix.codemods._strings import (
    Part,
    Text,
    Value,
    Words,
    flatten,
    fstring_literal,
    quote_of,
    string_literal,
    value_expression,
)
from provenfix.codemods.base import Span, Unfixable


def escape_spliced(source: str, target: Span, function: str, module: str) -> str:
    """Wrap each value spliced into the string at ``target`` in ``function`` (imported from ``module``)."""
    doc = Document(source)
    node = doc.locate(target, cst.BaseExpression, "string")  # type: ignore[type-abstract]
    edits = Edits()
    edits.add_import(module, function)

    def escaped(parts: list[Part]) -> list[Part]:
        return [_call(function, part) if isinstance(part, Value) else part for part in parts]

    rewrite_built_string(doc, node, edits, escaped)
    return doc.apply(edits)


def rewrite_built_string(doc: Document, node: cst.BaseExpression, edits: Edits,
                         transform: Callable[[list[Part]], list[Part]]) -> None:
    """Rebuild the string ``node`` builds (or the one assignment of the local it names) from
    ``transform`` of its parts, as an f-string in its own quote style."""
    if isinstance(node, cst.Name):
        definitions = _binding.resolve(doc, node).definitions
        if len(definitions) != 1:
            raise Unfixable(f"`{node.value}` is built over several statements")
        statement, expr = definitions[0].node, definitions[0].value
    else:
        statement, expr = node, node
    parts = flatten(expr)
    if parts is None or not any(isinstance(p, (Value, Words)) for p in parts):
        raise Unfixable("the string is not built from literals and values (e.g. it comes whole from input)")
    rebuilt = transform(parts)
    if any(isinstance(p, (Value, Words)) for p in rebuilt):
        new: cst.BaseExpression = fstring_literal(rebuilt, quote_of(expr))
    else:  # nothing spliced in any more: a plain literal
        new = string_literal("".join(p.value for p in rebuilt if isinstance(p, Text)), quote_of(expr))
    edits.put(statement, statement.with_changes(value=new) if statement is not expr else new)


def _call(function: str, value: Value) -> Value:
    inner = value_expression([value], '"', stringify=True)
    return Value(cst.Call(func=cst.Name(function), args=[cst.Arg(inner)]), is_str=True)


def escape_at(source: str, targets: list[Span], module: str, function: str, asname: str) -> str:
    """Wrap each expression at ``targets`` in ``function`` of ``module``, imported as ``asname`` (a name
    views do not use for their own variables, as they do `html`): ``bar`` → ``escape_html(str(bar))``."""
    doc = Document(source)
    edits = Edits()
    edits.add_import(module, function, asname)
    for target in targets:
        node = doc.locate(target, cst.BaseExpression, "expression")  # type: ignore[type-abstract]
        edits.put(node, lambda updated: cst.Call(func=cst.Name(asname), args=[cst.Arg(_as_str(updated))]))
    return doc.apply(edits)


def _as_str(expr: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(expr, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return expr
    return cst.Call(func=cst.Name("str"), args=[cst.Arg(expr)])
