"""Server-side template injection (CWE-1336): input goes to a template as a variable, not as its source.

Rewrites ``render_template_string(T, ...)`` where the template ``T`` is built from values (``+``, an
f-string, ``%``, ``str.format``, ``"".join``; at the call or in a local assigned once): each value
becomes a ``{{ name }}`` placeholder and is passed as ``name=value``, so the template's source is the
code's own text.

- ``render_template_string(f"<h1>Hello {name}</h1>")``
  → ``render_template_string("<h1>Hello {{ name }}</h1>", name=name)``
- a value that is no plain name (``request.args["q"]``) is passed as ``value0``, ``value1``, …;
  so is a name Flask's templates already mean (``request``, ``config``, ``session``, ``g``, …).

Refuses (``Unfixable``) a call passing ``**context`` (a placeholder name could clash), a template
not built from literals (the whole template from input), and one built over several statements.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, positional
from provenfix.codemods._strings import Part, Text, Value, Words, value_expression
from provenfix.codemods.base import Span, Unfixable
from provenfix.codemods.escape import rewrite_built_string

# Names a Flask/Jinja template already has: a variable of that name would shadow them.
TEMPLATE_GLOBALS = frozenset({"request", "session", "g", "config", "url_for", "get_flashed_messages", "self",
                              "loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace"})


def fix_template(source: str, call: Span) -> str:
    """Make the template of the ``render_template_string`` call at ``call`` constant, its values variables."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if any(arg.star == "**" for arg in node.args):
        raise Unfixable("the call passes **context: a placeholder's name could clash with one of its keys")
    first = positional(node)
    if not first:
        raise Unfixable("the template is not passed as the first argument")
    taken = {arg.keyword.value for arg in node.args if arg.keyword is not None}
    variables: dict[str, cst.BaseExpression] = {}

    def placeholders(parts: list[Part]) -> list[Part]:
        out: list[Part] = []
        for part in parts:
            if isinstance(part, Words):
                out.append(Value(part.expr))  # the code's own constant text stays template source
                continue
            if not isinstance(part, Value):
                out.append(part)
                continue
            name = _name_for(part, taken | set(variables))
            variables[name] = value_expression([part], '"', stringify=False)
            out.append(Text("{{ " + name + " }}"))
        return out

    edits = Edits()
    rewrite_built_string(doc, first[0].value, edits, placeholders)
    edits.put_call(node, lambda updated: updated.with_changes(args=[*_with_comma(updated.args), *_keywords(variables)]))
    return doc.apply(edits)


def _name_for(value: Value, taken: set[str]) -> str:
    expr = value.expr
    if (isinstance(expr, cst.Name) and value.conversion is None and value.spec is None
            and expr.value not in TEMPLATE_GLOBALS and expr.value not in taken and not expr.value.startswith("_")):
        return expr.value
    return next(f"value{i}" for i in range(len(taken) + 1) if f"value{i}" not in taken)


def _with_comma(args: tuple[cst.Arg, ...] | list[cst.Arg]) -> list[cst.Arg]:
    args = list(args)
    if args and not isinstance(args[-1].comma, cst.Comma):
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return args


def _keywords(variables: dict[str, cst.BaseExpression]) -> list[cst.Arg]:
    names = list(variables)
    return [cst.Arg(value=variables[name], keyword=cst.Name(name),
                    equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(names) - 1 else cst.MaybeSentinel.DEFAULT)
            for i, name in enumerate(names)]
