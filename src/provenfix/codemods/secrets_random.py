"""Predictable secrets (CWE-330/338): draw from the OS CSPRNG instead of Mersenne Twister.

Rewrites, at the call into the ``random`` module the Span points to (any alias or
from-import):

- ``choice(x)`` → ``secrets.choice(x)``
- ``getrandbits(k)`` → ``secrets.randbits(k)``
- ``randrange(n)`` (one argument) → ``secrets.randbelow(n)``
- any other drawing function (``randint``, ``random``, ``choices``, ``sample``, ``shuffle``,
  ``uniform``, ``randrange(a, b)``, ``randbytes``, the distributions) →
  ``secrets.SystemRandom().<same name>(same args)``
- ``random.Random(seed)`` → ``random.SystemRandom()``: the seed is dropped, since a
  reproducible stream is exactly what must not protect a secret.

Adds ``import secrets`` (reuses ``import secrets as alias``). Refuses (``Unfixable``)
``seed``/``getstate``/``setstate`` (no CSPRNG meaning), names not in the ``random`` module,
and a module where the name ``secrets`` is bound to something else (a common variable name).
"""

from __future__ import annotations

import random

import libcst as cst

from provenfix.codemods._cst import Document, Edits, positional
from provenfix.codemods.base import Span, Unfixable

_DIRECT = {"choice": "choice", "getrandbits": "randbits"}
_NO_MEANING = {"seed", "getstate", "setstate"}
_DRAWS = {
    name
    for name in dir(random.SystemRandom)
    if not name.startswith("_") and callable(getattr(random.SystemRandom, name))
} - _NO_MEANING


def fix_random(source: str, call: Span) -> str:
    """Rewrite the ``random`` call at ``call`` to use the ``secrets`` module."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    function = _random_function(doc, node)
    edits = Edits()
    if function == "Random":
        edits.put(node, _system_random(node, edits))
        return doc.apply(edits)
    if function in _NO_MEANING:
        raise Unfixable(f"random.{function} has no meaning for a cryptographic generator")
    if function not in _DRAWS:
        raise Unfixable(f"random.{function} is not a drawing function")
    secrets = cst.Name(doc.module_name(node, "secrets", edits))
    if function in _DIRECT:
        func: cst.BaseExpression = cst.Attribute(secrets, cst.Name(_DIRECT[function]))
    elif function == "randrange" and len(node.args) == 1 and len(positional(node)) == 1:
        func = cst.Attribute(secrets, cst.Name("randbelow"))
    else:
        system = cst.Call(func=cst.Attribute(secrets, cst.Name("SystemRandom")))
        func = cst.Attribute(system, cst.Name(function))
    edits.put_call(node, lambda updated: updated.with_changes(func=func))
    return doc.apply(edits)


def _random_function(doc: Document, node: cst.Call) -> str:
    for name in doc.qualified_names(node.func):
        module, _, function = name.rpartition(".")
        if module == "random":
            return function
    raise Unfixable("not a call into the random module")


def _system_random(node: cst.Call, edits: Edits) -> cst.Call:
    if isinstance(node.func, cst.Attribute):  # random.Random / rnd.Random: keep the module alias
        return cst.Call(func=node.func.with_changes(attr=cst.Name("SystemRandom")))
    edits.add_import("random", "SystemRandom")
    return cst.Call(func=cst.Name("SystemRandom"))
