"""Escape input where it enters a regular expression: ``q`` → ``re.escape(q)``.

The fix of a pattern made from text the code means literally (a search term, a name, a
prefix): ``re.search(q, title)`` → ``re.search(re.escape(q), title)``, and
``f"^{prefix}"`` → ``f"^{re.escape(prefix)}"``, so ``.``, ``*``, ``(`` and ``+`` in the input
match themselves. An iterable of terms joined into an alternation (``"|".join(words)``) gets
``re.escape(word) for word in words``. ``re`` is imported when the file does not yet (under its alias when
it has one).

Refuses (``Unfixable``) a value formatted with a conversion or a format spec (``{q!r}``,
``{q:>10}``), where the escaped text would be formatted differently.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span, Unfixable


def escape_in_pattern(source: str, targets: list[tuple[Span, bool]], module: str = "re") -> str:
    """Wrap each expression at ``targets`` in ``module.escape``; a target marked True is an iterable
    of texts, each escaped (``"|".join(re.escape(part) for part in words)``)."""
    doc = Document(source)
    edits = Edits()
    for span, each in targets:
        node = doc.locate(span, cst.BaseExpression, "expression")  # type: ignore[type-abstract]
        parent = doc.parent(node)
        if isinstance(parent, cst.FormattedStringExpression) and (parent.conversion or parent.format_spec):
            raise Unfixable("the input is formatted into the pattern with a conversion or format spec; "
                            "escape it with re.escape() where it is formatted")
        escape = cst.Attribute(value=cst.Name(doc.module_name(node, module, edits)), attr=cst.Name("escape"))
        if each:
            edits.put(node, lambda updated, escape=escape: cst.GeneratorExp(
                elt=cst.Call(func=escape, args=[cst.Arg(cst.Name("part"))]),
                for_in=cst.CompFor(target=cst.Name("part"), iter=updated), lpar=[], rpar=[]))  # `join`'s only argument
        else:
            edits.put(node, lambda updated, escape=escape: cst.Call(func=escape, args=[cst.Arg(updated)]))
    return doc.apply(edits)
