"""Set arguments of one call: ``f(a, secure=False)`` → ``f(a, secure=True)``.

The fix of classes where a safe option is missing or switched off. A keyword the call already
passes gets the new value in place; a missing one is appended after the last argument, in the
call's own layout (on its own line when the arguments are one per line). Refuses (``Unfixable``)
a call passing ``**kwargs``, which may hold the keyword already.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span, Unfixable


def set_keywords(source: str, call: Span, values: dict[str, str], modules: tuple[str, ...] = ()) -> str:
    """``values``: keyword → the Python expression it is to be given, which may name the ``modules``
    as ``{os}`` (imported when the file does not yet, under whatever name it already uses)."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if any(arg.star == "**" for arg in node.args):
        raise Unfixable("the call passes **keyword arguments, which may set the option already")
    edits = Edits()
    names = {module: doc.module_name(node, module, edits) for module in modules}
    values = {keyword: code.format(**names) for keyword, code in values.items()}
    edits.put_call(node, lambda updated: _with_keywords(updated, values))
    return doc.apply(edits)


def _with_keywords(call: cst.Call, values: dict[str, str]) -> cst.Call:
    args = list(call.args)
    for name, code in values.items():
        value = cst.parse_expression(code)
        at = next((i for i, arg in enumerate(args) if arg.keyword is not None and arg.keyword.value == name), None)
        if at is not None:
            args[at] = args[at].with_changes(value=value)
            continue
        new = cst.Arg(value=value, keyword=cst.Name(name),
                      equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
        if not args:
            args.append(new)
            continue
        last = args[-1]
        between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else None
        if isinstance(last.comma, cst.Comma):  # a trailing comma: the new argument takes its place
            args[-1] = last.with_changes(comma=between or cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.append(new.with_changes(comma=last.comma))
        else:
            args[-1] = last.with_changes(comma=between or cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.append(new)
    return call.with_changes(args=args)


def set_value(source: str, target: Span, code: str, modules: tuple[str, ...] = ()) -> str:
    """Replace the expression at ``target`` (an argument's or a setting's value) by ``code``, which
    may name the ``modules`` as ``{os}``, as in ``set_keywords``."""
    doc = Document(source)
    node = doc.locate(target, cst.BaseExpression, "value")  # type: ignore[type-abstract]
    edits = Edits()
    names = {module: doc.module_name(node, module, edits) for module in modules}
    edits.put(node, cst.parse_expression(code.format(**names)))
    return doc.apply(edits)
