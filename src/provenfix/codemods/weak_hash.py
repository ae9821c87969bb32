"""Weak hashes (CWE-328): name SHA-256 where the code names MD5 or SHA-1, keeping the call's shape.

At the call the Span points to:

- ``hashlib.md5(x)`` / ``hashlib.sha1(x)`` (any alias) → ``hashlib.sha256(x)``; a from-import
  (``md5(x)``) → ``hashlib.sha256(x)``, importing ``hashlib``;
- ``hashlib.new("md5", x)`` → ``hashlib.new("sha256", x)`` (a name holding the algorithm is
  replaced at the call by the literal, so other uses of the name keep their value);
- ``hmac.new(key, msg, hashlib.md5)`` / ``"sha1"`` / ``digestmod=md5`` → ``hashlib.sha256``
  (``"sha256"`` for a string);
- PyCryptodome ``MD5.new(x)`` / ``SHA1.new(x)`` → ``SHA256.new(x)``, importing ``SHA256`` beside it;
- cryptography ``hashes.MD5()`` / ``hashes.SHA1()`` → ``hashes.SHA256()``.

Everything else (keywords such as ``usedforsecurity``, the data) is kept as written.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, keyword, positional
from provenfix.codemods.base import Span, Unfixable

_HASHLIB = {"hashlib.md5", "hashlib.sha1"}
_HMAC = {"hmac.new": ("digestmod", 2), "hmac.HMAC": ("digestmod", 2), "hmac.digest": ("digest", 2)}
_PYCRYPTO = ("Crypto.Hash.", "Cryptodome.Hash.")
_CRYPTOGRAPHY = "cryptography.hazmat.primitives.hashes."
_WEAK_NAMES = {"md5", "sha1", "md4", "md2"}


def fix_hash(source: str, call: Span) -> str:
    """Rewrite the hash call at ``call`` to SHA-256."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    names = doc.qualified_names(node.func)
    edits = Edits()
    if names & _HASHLIB:
        edits.put(node.func, _sha256_of_hashlib(doc, node, edits))
    elif "hashlib.new" in names:
        arg = _argument(node, "name", 0)
        edits.put(arg.value, _algorithm_text(arg.value))
    elif hmac := next((n for n in names if n in _HMAC), None):
        name, position = _HMAC[hmac]
        arg = _argument(node, name, position)
        if isinstance(arg.value, (cst.SimpleString, cst.Name)) and not _is_hash_function(doc, arg.value):
            edits.put(arg.value, _algorithm_text(arg.value))
        else:
            edits.put(arg.value, cst.Attribute(cst.Name(doc.module_name(node, "hashlib", edits)), cst.Name("sha256")))
    elif any(n.startswith(_PYCRYPTO) and n.endswith(".new") for n in names):
        edits.put(node.func, _pycryptodome(doc, node, names, edits))
    elif any(n.startswith(_CRYPTOGRAPHY) for n in names):
        edits.put(node.func, _renamed(node.func, "SHA256", _CRYPTOGRAPHY.rstrip("."), edits))
    else:
        raise Unfixable("not a call of MD5 or SHA-1 this rewrite knows")
    return doc.apply(edits)


def _argument(node: cst.Call, name: str, position: int) -> cst.Arg:
    found = keyword(node, name)
    if found is None:
        args = positional(node)
        found = args[position] if len(args) > position else None
    if found is None or found.star:
        raise Unfixable("the algorithm is not passed as a plain argument")
    return found


def _is_hash_function(doc: Document, value: cst.BaseExpression) -> bool:
    return any(n.split(".")[-1] in _WEAK_NAMES for n in doc.qualified_names(value))


def _algorithm_text(value: cst.BaseExpression) -> cst.BaseExpression:
    """``"md5"`` → ``"sha256"`` in the same quotes; a name holding the algorithm → the literal."""
    if isinstance(value, cst.SimpleString):
        return cst.SimpleString(f"{value.prefix}{value.quote}sha256{value.quote}")
    if isinstance(value, (cst.Name, cst.Attribute)):
        return cst.SimpleString('"sha256"')
    raise Unfixable("the algorithm's name is computed; name SHA-256 where it is chosen")


def _sha256_of_hashlib(doc: Document, node: cst.Call, edits: Edits) -> cst.BaseExpression:
    func = node.func
    if isinstance(func, cst.Attribute):  # hashlib.md5 / hl.md5: keep the module alias
        return func.with_changes(attr=cst.Name("sha256"))
    return cst.Attribute(cst.Name(doc.module_name(node, "hashlib", edits)), cst.Name("sha256"))


def _pycryptodome(doc: Document, node: cst.Call, names: set[str], edits: Edits) -> cst.BaseExpression:
    """``MD5.new`` → ``SHA256.new``: the SHA256 module imported the way the weak one was."""
    func = node.func
    if not isinstance(func, cst.Attribute):  # `from Crypto.Hash.MD5 import new`
        raise Unfixable("the hash's `new` is imported alone; import SHA256 and call SHA256.new instead")
    package = next(n for n in names if n.startswith(_PYCRYPTO)).split(".")[0] + ".Hash"
    return func.with_changes(value=_renamed(func.value, "SHA256", package, edits))


def _renamed(expr: cst.BaseExpression, new: str, package: str, edits: Edits) -> cst.BaseExpression:
    """``pkg.MD5`` → ``pkg.SHA256``; a bare ``MD5`` from ``from pkg import MD5`` → ``SHA256``, imported."""
    if isinstance(expr, cst.Attribute):
        if package.startswith(("Crypto", "Cryptodome")):
            edits.add_import(f"{package}.{new}")  # a submodule: loaded only when imported
        return expr.with_changes(attr=cst.Name(new))
    if isinstance(expr, cst.Name):
        edits.add_import(package, new)
        return cst.Name(new)
    raise Unfixable("the hash is reached through an expression this rewrite does not follow")
