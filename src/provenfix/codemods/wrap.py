"""Wrap expressions in a call of a helper the codemod inserts: ``x`` → ``_helper(x)``.

The fix of classes whose remedy is a check or an encoding of the value on its way to the sink
(a same-site check of a redirect target, say). The helper's code comes from the recipe and is
inserted once, after the imports; a module that already defines a different function of that
name is refused (``Unfixable``), one that defines the same function keeps it.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span


def wrap_in_helper(source: str, targets: list[Span], name: str, code: str) -> str:
    doc = Document(source)
    edits = Edits()
    edits.add_helper(name, code)
    for target in targets:
        node = doc.locate(target, cst.BaseExpression, "expression")  # type: ignore[type-abstract]
        edits.put(node, lambda updated: cst.Call(func=cst.Name(name), args=[cst.Arg(updated)]))
    return doc.apply(edits)


def call_helper_instead(source: str, call: Span, name: str, code: str) -> str:
    """``eval(x)`` → ``_helper(x)``: the call keeps its arguments and calls the inserted helper instead."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    edits = Edits()
    edits.add_helper(name, code)
    edits.put_call(node, lambda updated: updated.with_changes(func=cst.Name(name)))
    return doc.apply(edits)
