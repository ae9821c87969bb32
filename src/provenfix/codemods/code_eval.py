"""Code injection (CWE-95): evaluate literals only, never code.

Rewrites, at the call the Span points to:

- ``eval(x)``, ``eval(x, globals)``, ``eval(x, globals, locals)``, ``eval(x, {"__builtins__": {}})``
  → ``ast.literal_eval(x)`` (adds ``import ast``; reuses ``import ast as alias``)

Refuses (``Unfixable``) ``exec(...)`` (it runs statements; there is no literal-only
equivalent), an ``eval`` that is not the builtin (shadowed), a module where the name
``ast`` is bound to something else, and keyword or starred arguments.

Behaviour note: ``literal_eval`` accepts strings, bytes, numbers, tuples, lists, dicts,
sets, booleans and None; arithmetic like ``"2 + 3"`` or names now raise ``ValueError``.
Restricting ``__builtins__`` was never a sandbox, which is why that form is rewritten too.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span, Unfixable


def fix_eval(source: str, call: Span) -> str:
    """Rewrite the ``eval`` call at ``call`` to ``ast.literal_eval``."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    names = doc.qualified_names(node.func)
    if "builtins.exec" in names:
        raise Unfixable("exec runs statements; there is no literal-only equivalent")
    if "builtins.eval" not in names:
        raise Unfixable("not a call of the builtin eval")
    if not 1 <= len(node.args) <= 3 or any(arg.keyword or arg.star for arg in node.args):
        raise Unfixable("eval called with keyword or starred arguments")
    edits = Edits()
    module = doc.module_name(node, "ast", edits)
    func = cst.Attribute(value=cst.Name(module), attr=cst.Name("literal_eval"))
    # Only the expression stays; globals/locals have no meaning for literal_eval.
    edits.put_call(
        node,
        lambda updated: updated.with_changes(
            func=func, args=[updated.args[0].with_changes(comma=updated.args[-1].comma)]
        ),
    )
    return doc.apply(edits)
