"""Make a JWT decode verify the token: ``jwt.decode(t, options={"verify_signature": False})`` →
``jwt.decode(t, SECRET_KEY, algorithms=["HS256"])``.

The switch that turns verification off goes (the ``verify_signature`` entry of ``options``, the
whole ``options`` argument when nothing else is left in it, PyJWT 1's ``verify=False``); the key
that signs the project's tokens comes in as the second argument when the call passes none, and
an explicit ``algorithms`` list when the call names none. ``get_unverified_claims(t)`` of
python-jose becomes ``decode(t, key, algorithms=[...])`` of the same module. The names the key
needs are imported where the file does not bind them yet.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, keyword, positional, without_args
from provenfix.codemods.base import Span, Unfixable
from provenfix.codemods.keywords import _with_keywords


def verify_decode(source: str, call: Span, *, key: str | None, algorithms: str | None,
                  imports: list[tuple[str, str | None]] = (), rename: str | None = None,
                  drop_options: bool = False) -> str:
    """``key``: an expression to pass as the key, which the call lacks; ``algorithms``: the list to
    pass (None: keep the call's own);
    ``imports``: (module, name) pairs the key needs; ``rename``: a new method name for the call;
    ``drop_options``: the ``options`` argument is a name whose value only switches verification off."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if any(arg.star == "**" for arg in node.args):
        raise Unfixable("the call passes **keyword arguments, which may switch verification off again")
    options = keyword(node, "options")
    if options is not None and not isinstance(options.value, cst.Dict) and not drop_options:
        raise Unfixable("the decode's options come from elsewhere; remove verify_signature=False from them by hand")
    edits = Edits()
    for module, name in imports:
        edits.add_import(module, name)
    edits.put_call(node, lambda updated: _verified(updated, key, algorithms, rename))
    return doc.apply(edits)


def _verified(call: cst.Call, key: str | None, algorithms: str | None, rename: str | None) -> cst.Call:
    options = keyword(call, "options")
    drop_all = False
    if options is not None and isinstance(options.value, cst.Dict):
        kept = [e for e in options.value.elements if not _switches_signature_off(e)]
        if kept:
            kept[-1] = kept[-1].with_changes(comma=options.value.elements[-1].comma)
            call = call.with_changes(args=[a.with_changes(value=a.value.with_changes(elements=kept)) if a is options else a
                                           for a in call.args])
        else:
            drop_all = True
    elif options is not None:
        drop_all = True
    call = without_args(call, lambda a: a.keyword is not None and (a.keyword.value == "verify" or
                                                                   (a.keyword.value == "options" and drop_all)))
    if key is not None:
        call = _with_key(call, cst.parse_expression(key))
    if algorithms is not None:  # in place of a list naming "none", or added
        call = _with_keywords(call, {"algorithms": algorithms})
    if rename is not None:
        if not isinstance(call.func, cst.Attribute):
            raise Unfixable(f"cannot turn this call into `{rename}()`")
        call = call.with_changes(func=call.func.with_changes(attr=cst.Name(rename)))
    return call


def _switches_signature_off(element: cst.BaseDictElement) -> bool:
    if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
        return False
    return element.key.evaluated_value == "verify_signature"


def _with_key(call: cst.Call, key: cst.BaseExpression) -> cst.Call:
    """The key as the second positional argument, right after the token (a keyword when the token is one)."""
    args = list(call.args)
    given = positional(call)
    if not given:
        return _with_keywords(call, {"key": cst.Module(body=[]).code_for_node(key)})
    at = args.index(given[0]) + 1
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    first = args[at - 1]
    if at < len(args):
        new = cst.Arg(key, comma=space)
    else:
        new = cst.Arg(key, comma=first.comma)  # keeps a trailing comma, or none
    if not isinstance(first.comma, cst.Comma) or at == len(args):
        args[at - 1] = first.with_changes(comma=space)
    args.insert(at, new)
    return call.with_changes(args=args)

