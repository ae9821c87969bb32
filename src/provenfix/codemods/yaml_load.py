"""Unsafe deserialization (CWE-502): load YAML with the safe loader.

Rewrites, at the call the Span points to:

- ``yaml.load(x)``, ``yaml.load(x, Loader=yaml.Loader|UnsafeLoader|FullLoader)``,
  ``yaml.load(x, yaml.Loader)`` (and the C loaders) → ``yaml.safe_load(x)``
- ``yaml.unsafe_load(x)``, ``yaml.full_load(x)`` → ``yaml.safe_load(x)``
- ``yaml.load_all`` / ``unsafe_load_all`` / ``full_load_all`` → ``yaml.safe_load_all``

The module alias is kept (``y.load`` → ``y.safe_load``). A from-import (``from yaml import
load``, ``load as yl``) becomes a call of ``safe_load``/``safe_load_all`` with that name
added to the imports (LibCST merges it into an existing ``from yaml import`` line; the old
name stays imported).

Refuses (``Unfixable``) a Loader it does not recognise (a custom subclass may register
constructors the safe loader lacks), ``BaseLoader`` (already safe; ``safe_load`` would
change the parsed types), and extra or starred arguments.

Behaviour note: ``safe_load`` builds only plain types (dict, list, str, int, float, bool,
None, dates); documents with ``!!python/...`` tags now raise ``yaml.constructor.ConstructorError``.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, keyword
from provenfix.codemods.base import Span, Unfixable

_SAFE = {
    "load": "safe_load",
    "unsafe_load": "safe_load",
    "full_load": "safe_load",
    "load_all": "safe_load_all",
    "unsafe_load_all": "safe_load_all",
    "full_load_all": "safe_load_all",
}
_SWAPPABLE = {
    f"yaml.{name}"
    for name in (
        "Loader",
        "UnsafeLoader",
        "FullLoader",
        "CLoader",
        "CUnsafeLoader",
        "CFullLoader",
        "SafeLoader",
        "CSafeLoader",
    )
}


def fix_yaml(source: str, call: Span) -> str:
    """Rewrite the PyYAML load call at ``call`` to ``safe_load``/``safe_load_all``."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    function = _yaml_function(doc, node)
    stream = _check_arguments(doc, node)
    safe = _SAFE[function]
    edits = Edits()
    if isinstance(node.func, cst.Attribute):
        func: cst.BaseExpression = node.func.with_changes(attr=cst.Name(safe))
    else:
        func = cst.Name(safe)
        edits.add_import("yaml", safe)
    index = list(node.args).index(stream)
    # Keep only the stream; it inherits the last argument's comma (trailing comma or none).
    edits.put_call(
        node,
        lambda updated: updated.with_changes(
            func=func, args=[updated.args[index].with_changes(comma=updated.args[-1].comma)]
        ),
    )
    return doc.apply(edits)


def _yaml_function(doc: Document, node: cst.Call) -> str:
    for name in doc.qualified_names(node.func):
        module, _, function = name.rpartition(".")
        if module == "yaml" and function in _SAFE:
            return function
    raise Unfixable("not a PyYAML load call")


def _check_arguments(doc: Document, node: cst.Call) -> cst.Arg:
    """The stream argument, after checking the loader is one we know to swap for the safe one."""
    if any(arg.star for arg in node.args):
        raise Unfixable("starred arguments to yaml.load are not supported")
    loader = keyword(node, "Loader")
    stream = keyword(node, "stream")
    plain = [arg for arg in node.args if arg.keyword is None]
    if stream is None and plain:
        stream = plain.pop(0)
    if loader is None and plain:
        loader = plain.pop(0)
    others = [arg for arg in node.args if arg not in (stream, loader)]
    if stream is None or others:
        raise Unfixable("yaml.load called with arguments other than the stream and Loader")
    if loader is not None:
        names = doc.qualified_names(loader.value)
        if names & {"yaml.BaseLoader", "yaml.CBaseLoader"}:
            raise Unfixable("BaseLoader is already safe; safe_load would change the parsed types")
        if not names & _SWAPPABLE:
            raise Unfixable("unrecognised Loader (custom subclass?); cannot tell what the safe loader would miss")
    return stream
