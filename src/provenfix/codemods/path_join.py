"""Path traversal (CWE-22): confine a joined path to its base directory.

Rewrites the expression the Span points to, which joins a base with untrusted parts:

- ``os.path.join(BASE, *parts)`` (also ``from os.path import join``, ``import os.path as osp``)
  → ``_safe_join(BASE, *parts)``
- ``BASE + "/" + name`` (or an f-string ``f"{BASE}/{name}"``, or ``"/srv/files/" + name``, or
  ``BASE + name`` where the module binds ``BASE = "/srv/files/"``) → ``_safe_join(BASE, name)``; literal text glued to a value stays in that component
  (``BASE + "/img_" + name`` → ``_safe_join(BASE, f"img_{name}")``)
- ``BASE / "a" / name`` (the outermost ``/``) → ``_safe_path(BASE, "a", name)``
- ``Path(BASE, name)`` / ``pathlib.Path(BASE, name)`` → ``_safe_path(BASE, name)``

``_safe_join`` (returns ``str``) and ``_safe_path`` (returns ``pathlib.Path``) are inserted
once each, after the imports, only when used. Both resolve the joined path with
``os.path.realpath`` and raise ``ValueError("path escapes ...")`` unless it stays under the
real base (``os.path.commonpath``): ``..``, absolute parts and symlinks leading out are all
caught. Code that then opens or reads the path stays as it is.

Refuses (``Unfixable``) a join with no base (a single argument, a starred first argument),
keyword arguments, a string join whose base is not followed by ``/``, and a module that
already defines a different function under the helper's name.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from provenfix.codemods._cst import Document, Edits, str_parameters
from provenfix.codemods._strings import Part, Text, Value, flatten, quote_of, string_literal, value_expression
from provenfix.codemods.base import Span, Unfixable

_CHECK = """\
    root = os.path.realpath(base)
    path = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, path]) != root:
        raise ValueError(f"path escapes {{base!r}}: {{path!r}}")
    return {result}
"""
_SAFE_JOIN = (
    'def _safe_join(base: "str | os.PathLike[str]", *parts: "str | os.PathLike[str]") -> str:\n'
    '    """Join ``parts`` onto ``base``; refuse any result outside ``base`` (``..``, absolute parts, symlinks)."""\n'
    + _CHECK.format(result="path")
)
_SAFE_PATH = (
    'def _safe_path(base: "str | os.PathLike[str]", *parts: "str | os.PathLike[str]") -> {path}:\n'
    '    """Join ``parts`` onto ``base``; refuse any result outside ``base`` (``..``, absolute parts, symlinks)."""\n'
    + _CHECK.format(result="{path}(path)")
)


def fix_path(source: str, join: Span) -> str:
    """Rewrite the path join at ``join`` into a call of a confining helper."""
    doc = Document(source)
    node = doc.locate(join, cst.BaseExpression, "path expression")  # type: ignore[type-abstract]
    edits = Edits()
    if isinstance(node, cst.Call):
        helper = _call_helper(doc, node)
        if any(arg.keyword for arg in node.args):
            raise Unfixable("a path join with keyword arguments is not supported")
        if len(node.args) < 2 or node.args[0].star:
            raise Unfixable("the join has no base directory to confine the path to")
        new: cst.BaseExpression = node.with_changes(func=cst.Name(helper))
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        helper = "_safe_path"
        new = _call(helper, _divide_operands(node))
    elif (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)
          and isinstance(node.left, cst.Name) and (_text_constant(doc, node.left.value) or "").endswith("/")):
        helper = "_safe_join"  # `BASE + name` where `BASE = "/srv/files/"`: the separator is in the constant
        new = _call(helper, [node.left, node.right])
    elif isinstance(node, (cst.BinaryOperation, cst.FormattedString, cst.ConcatenatedString)):
        helper = "_safe_join"
        new = _call(helper, _string_components(node, str_parameters(doc.enclosing_scope(node))))
    else:
        raise Unfixable("not a path join (os.path.join, Path(...), '/' or string concatenation)")
    os_name = doc.module_name(node, "os", edits)
    if os_name != "os":
        raise Unfixable("os is imported under another name; the inserted helper needs `os`")
    edits.add_helper(helper, _helper_code(doc, helper, node, edits))
    edits.put(node, new)
    return doc.apply(edits)


def _call_helper(doc: Document, node: cst.Call) -> str:
    names = doc.qualified_names(node.func)
    if "os.path.join" in names:
        return "_safe_join"
    if "pathlib.Path" in names:
        return "_safe_path"
    raise Unfixable("not os.path.join or pathlib.Path")


def _helper_code(doc: Document, helper: str, node: cst.CSTNode, edits: Edits) -> str:
    if helper == "_safe_join":
        return _SAFE_JOIN
    path = "Path" if _imports_path(doc) else doc.module_name(node, "pathlib", edits) + ".Path"
    return _SAFE_PATH.replace("{path}", path)


def _imports_path(doc: Document) -> bool:
    """``from pathlib import Path`` at module level: the helper can use that name."""
    for statement in doc.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and isinstance(small.module, cst.Name)
                    and small.module.value == "pathlib"
                    and not isinstance(small.names, cst.ImportStar)
                    and any(a.evaluated_name == "Path" and a.asname is None for a in small.names)
                ):
                    return True
    return False


def _call(helper: str, args: Sequence[cst.BaseExpression]) -> cst.Call:
    return cst.Call(func=cst.Name(helper), args=[cst.Arg(arg) for arg in args])


def _divide_operands(node: cst.BinaryOperation) -> list[cst.BaseExpression]:
    """``base / a / b`` (left-nested) → ``[base, a, b]``."""
    rights: list[cst.BaseExpression] = []
    current: cst.BaseExpression = node
    # Parentheses on the left of a left-nested chain change nothing: (base / a) / b == base / a / b.
    while isinstance(current, cst.BinaryOperation) and isinstance(current.operator, cst.Divide):
        rights.append(current.right)
        current = current.left
    return [current, *reversed(rights)]


def _string_components(node: cst.BaseExpression, str_names: frozenset[str]) -> list[cst.BaseExpression]:
    """``BASE + "/" + name`` → ``[BASE, name]``; ``"/srv/files/" + name`` → ``["/srv/files", name]``."""
    parts = flatten(node)
    if parts is None or not any(isinstance(p, Value) for p in parts):
        raise Unfixable("not a path built from a base and untrusted parts")
    quote = quote_of(node)
    first_value = next(i for i, p in enumerate(parts) if isinstance(p, Value))
    rest: list[Part]
    if first_value == 0:
        base: cst.BaseExpression = _plain(parts[0])
        rest = parts[1:]
        if not (rest and isinstance(rest[0], Text) and rest[0].value.startswith("/")):
            raise Unfixable("the base is not followed by a '/' separator")
    else:
        prefix = "".join(p.value for p in parts[:first_value] if isinstance(p, Text))
        cut = prefix.rfind("/")
        if cut < 0:
            raise Unfixable("no base directory before the first untrusted part")
        base = string_literal(prefix[:cut] or "/", quote)
        rest = [Text(prefix[cut + 1 :]), *parts[first_value:]]
    return [base, *(value_expression(c, quote, stringify=True, str_names=str_names) for c in _components(rest))]


def _text_constant(doc: Document, name: str) -> str | None:
    """The string a module-level `NAME = "..."` binds, when it is bound exactly once."""
    values = [stmt.body[0].value for stmt in doc.module.body
              if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign)
              and any(isinstance(t.target, cst.Name) and t.target.value == name for t in stmt.body[0].targets)]
    if len(values) == 1 and isinstance(values[0], cst.SimpleString):
        text = values[0].evaluated_value
        return text if isinstance(text, str) else None
    return None


def _plain(part: Part) -> cst.BaseExpression:
    assert isinstance(part, Value)
    if part.conversion or part.spec:
        raise Unfixable("a formatted base directory is not supported")
    return part.expr


def _components(parts: Sequence[Part]) -> list[list[Part]]:
    """Split on the '/' in literal text; values never split."""
    components: list[list[Part]] = [[]]
    for part in parts:
        if isinstance(part, Value):
            components[-1].append(part)
            continue
        pieces = part.value.split("/")
        for number, piece in enumerate(pieces):
            if number:
                components.append([])
            if piece:
                components[-1].append(Text(piece))
    return [c for c in components if c]
