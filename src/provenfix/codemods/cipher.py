"""Weak ciphers (CWE-327): put each weak cipher object through an inserted AES-GCM helper.

``AES.new(KEY, AES.MODE_ECB)`` → ``_aes_gcm(KEY)``, and ``Cipher(algorithms.TripleDES(key),
modes.CBC(IV))`` → ``_aes_gcm(key)``: the helper (its code comes from the recipe) returns an object
with the methods the code calls on the cipher (``encrypt``/``decrypt``, ``encryptor()``/
``decryptor()`` with ``update``/``finalize``), which encrypts with AES-GCM under a fresh random
nonce kept with the ciphertext. Every weak cipher of the module is rewritten in one go, so what it
encrypts its decrypt side still reads. The key expression is kept as it is written.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span


def replace_ciphers(source: str, targets: list[tuple[Span, Span]], name: str, code: str) -> str:
    """``targets``: (the call making a cipher, its key expression), each replaced by ``name(key)``."""
    doc = Document(source)
    edits = Edits()
    edits.add_helper(name, code)
    for call_span, key_span in targets:
        call = doc.locate(call_span, cst.Call, "cipher")
        key = doc.locate(key_span, cst.BaseExpression, "key")  # type: ignore[type-abstract]
        edits.put(call, cst.Call(func=cst.Name(name), args=[cst.Arg(key)]))
    return doc.apply(edits)
