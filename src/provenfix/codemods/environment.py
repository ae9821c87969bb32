"""Move a literal out of the source: ``API_KEY = "sk_live_…"`` → ``API_KEY = _required_env("API_KEY")``.

The helper the recipe gives is inserted after the imports; it runs when the module is imported, so
an assignment above that point (an import follows it) is refused rather than left to a NameError.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, _after_imports
from provenfix.codemods.base import Span, Unfixable


def read_from_environment(source: str, target: Span, variable: str, helper: str, code: str, *, as_bytes: bool) -> str:
    doc = Document(source)
    node = doc.locate(target, cst.BaseExpression, "value")  # type: ignore[type-abstract]
    statement = next((s for s in doc.module.body if doc.positions[s].start.line <= target.line <= doc.positions[s].end.line), None)
    if statement is None or doc.module.body.index(statement) < _after_imports(doc.module):
        raise Unfixable("an import follows the credential's assignment, so a reading function inserted after the "
                        "imports would not exist yet: move the assignment below the imports first")
    edits = Edits()
    edits.add_helper(helper, code)
    read = f'{helper}("{variable}")' + (".encode()" if as_bytes else "")
    edits.put(node, cst.parse_expression(read))
    return doc.apply(edits)
