"""XPath injection (CWE-643): input becomes one XPath string literal instead of XPath syntax.

Rewrites the query the Span points to (built with ``+``, an f-string, ``%``, ``str.format`` or
``"".join``; or a local name assigned once from such an expression): every quoted literal that
holds a value from input, quotes included, becomes one call of the inserted helper, which
renders its text as a literal whatever quotes it holds (``concat()`` when it holds both):

- ``f"//user[@name='{name}']"`` → ``f"//user[@name={_xpath_literal(name)}]"``
- ``"//item[@id='" + prefix + "-" + n + "']"`` → ``f"//item[@id={_xpath_literal(f'{prefix}-{n}')}]"``
- an unquoted value after ``=``, ``(``, ``,``, ``<``, ``>`` or ``!`` becomes a literal too
  (``[@id={n}]`` compares the same against the string).

Refuses (``Unfixable``) a value elsewhere in the syntax (a step, a name: it needs an
allow-list), unbalanced quotes, a query that is not built from literals, and one built over
several statements.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods._strings import Part, Text, Value, Words, characters, value_expression
from provenfix.codemods.escape import rewrite_built_string
from provenfix.codemods.base import Span, Unfixable

QUOTES = "'\""
BEFORE_A_LITERAL = "=(,<>!"  # what may precede a value that becomes a literal


def fix_xpath(source: str, query: Span, helper: str, helper_code: str) -> str:
    """Rewrite the XPath query at ``query`` so values from input are string literals."""
    doc = Document(source)
    node = doc.locate(query, cst.BaseExpression, "XPath expression")  # type: ignore[type-abstract]
    edits = Edits()
    rewrite_built_string(doc, node, edits, lambda parts: _literal_parts(parts, helper))
    edits.add_helper(helper, helper_code)
    return doc.apply(edits)


def _literal_parts(parts: list[Part], helper: str) -> list[Part]:
    out: list[Part] = []
    quote: str | None = None
    region: list[Part] = []
    for item in characters(parts):
        if isinstance(item, tuple):
            ch = item[0]
            if quote is None and ch in QUOTES:
                quote, region = ch, []
            elif quote is None:
                out.append(Text(ch))
            elif ch == quote:
                out += [_literal(region, helper)] if any(not isinstance(p, Text) for p in region) else [Text(quote), *region, Text(quote)]
                quote = None
            else:
                region.append(Text(ch))
        elif quote is not None:
            region.append(item)
        elif isinstance(item, Words):
            out.append(Value(item.expr))  # the code's own constant text, as it was
        else:
            before = "".join(p.value for p in out if isinstance(p, Text)).rstrip()[-1:]
            if not before or before not in BEFORE_A_LITERAL:
                raise Unfixable("a value from input is part of the XPath syntax (a step or a name), not a string: "
                                "it needs an allow-list")
            out.append(_literal([item], helper))
    if quote is not None:
        raise Unfixable("the XPath expression has an unbalanced quote")
    return _merged(out)


def _literal(region: list[Part], helper: str) -> Value:
    """One value: the helper's call on the text between the quotes."""
    content = [Value(p.expr) if isinstance(p, Words) else p for p in _merged(region)]
    inner = value_expression(content, '"', stringify=False)
    return Value(cst.Call(func=cst.Name(helper), args=[cst.Arg(inner)]), is_str=True)


def _merged(parts: list[Part]) -> list[Part]:
    out: list[Part] = []
    for part in parts:
        if isinstance(part, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].value + part.value)
        else:
            out.append(part)
    return out
