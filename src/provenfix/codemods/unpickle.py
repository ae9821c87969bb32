"""Unsafe deserialization (CWE-502): unpickle through an allow-list of plain data types.

Rewrites, at the call the Span points to, and inserts the helper once per module:

- ``pickle.loads(data, **kw)`` / ``pickle.load(file, **kw)`` (also ``_pickle``, ``cPickle``,
  ``from pickle import loads``) → ``_helper(data, **kw)``: the same arguments, another callee
- ``pickle.Unpickler(file, **kw).load()`` → ``_helper(file, **kw)``: the span is the outer
  ``.load()`` call, whose receiver is the ``Unpickler(...)`` call

Refuses (``Unfixable``) starred arguments and a ``.load()`` given arguments of its own.
The helper (the recipe's) unpickles with an ``Unpickler`` whose ``find_class`` allows plain
data types only, so that data round-trips as before while a pickle naming a function is refused.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span, Unfixable


def restrict_unpickling(source: str, call: Span, helper: str, helper_code: str, *, chained: bool = False) -> str:
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if chained:
        inner = node.func.value if isinstance(node.func, cst.Attribute) else None
        if not isinstance(inner, cst.Call) or node.args:
            raise Unfixable("the unpickler's load() is not called directly on the new Unpickler(...)")
        args = inner.args
    else:
        args = node.args
    if not args or any(arg.star for arg in args):
        raise Unfixable("the data is passed with * or ** arguments: which one is the pickle is not known")
    edits = Edits()
    edits.add_helper(helper, helper_code)
    if chained:
        edits.put_call(node, lambda updated: cst.Call(func=cst.Name(helper), args=updated.func.value.args))  # type: ignore[attr-defined]
    else:
        edits.put_call(node, lambda updated: updated.with_changes(func=cst.Name(helper)))
    return doc.apply(edits)
