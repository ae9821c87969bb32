"""Load a PyTorch checkpoint with weights only: ``torch.load(f, weights_only=False)`` →
``torch.load(f, weights_only=True)``.

``weights_only`` gets True in place, or is appended (in the call's own layout) when the call does
not pass it. A ``pickle_module`` that is the standard pickle is dropped, since torch refuses it
together with ``weights_only=True``; every other argument (``map_location``, ``mmap``) is kept.
Refuses (``Unfixable``) a call passing ``**kwargs`` or ``weights_only`` by position.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, keyword, positional, without_args
from provenfix.codemods.base import Span, Unfixable
from provenfix.codemods.keywords import _with_keywords

PICKLE_MODULE_POSITION = 2  # torch.load(f, map_location, pickle_module)


def load_weights_only(source: str, call: Span, *, drop_pickle_module: bool = False, hub: bool = False) -> str:
    """``hub``: the call is ``torch.hub.load_state_dict_from_url``, whose seventh positional
    argument is weights_only."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if any(arg.star == "**" for arg in node.args):
        raise Unfixable("the call passes **keyword arguments, which may set weights_only or pickle_module")
    if hub and len(positional(node)) > 6:
        raise Unfixable("the call passes weights_only by position: pass weights_only=True by keyword")

    def rewrite(updated: cst.Call) -> cst.Call:
        if drop_pickle_module:
            dropped = keyword(updated, "pickle_module")
            if dropped is None:
                plain = positional(updated)
                dropped = plain[PICKLE_MODULE_POSITION] if len(plain) > PICKLE_MODULE_POSITION else None
            if dropped is not None:
                updated = without_args(updated, lambda arg: arg is dropped)
        return _closing_line_kept(updated, _with_keywords(updated, {"weights_only": "True"}))

    edits = Edits()
    edits.put_call(node, rewrite)
    return doc.apply(edits)


def _closing_line_kept(before: cst.Call, after: cst.Call) -> cst.Call:
    """An argument appended after one followed by a line break (the closing parenthesis on its own
    line) takes that line break over: ``progress=False, weights_only=True\n)``."""
    if len(after.args) != len(before.args) + 1 or len(after.args) < 2:
        return after
    previous, new = after.args[-2], after.args[-1]
    if not isinstance(previous.whitespace_after_arg, cst.ParenthesizedWhitespace):
        return after
    return after.with_changes(args=[*after.args[:-2], previous.with_changes(whitespace_after_arg=cst.SimpleWhitespace("")),
                                    new.with_changes(whitespace_after_arg=previous.whitespace_after_arg)])
