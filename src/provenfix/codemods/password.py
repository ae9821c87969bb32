"""Password storage: replace expressions by new code text and insert the two password helpers.

The recipe (recipes/password.py) decides what changes: the fast hash that makes the stored value
becomes ``_hash_password(pw)``, and each comparison that checks a password against a stored value
becomes ``_verify_password(pw, stored, lambda: <the old hash>)``. The helpers use PBKDF2-HMAC-SHA256,
or argon2-cffi's PasswordHasher where the project already depends on it. This module only applies those
replacements with LibCST, keeping every other byte of the file, and inserts the helpers once.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
from provenfix.codemods.base import Span, Unfixable

HASH_HELPER = "_hash_password"
VERIFY_HELPER = "_verify_password"

HASH_CODE = '''\
def _hash_password(password):
    """The stored form of `password`: PBKDF2-HMAC-SHA256 with a random 16-byte salt and 600,000
    iterations (OWASP's current minimum), self-describing as "pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>"
    so that the count can be raised later without breaking stored values."""
    import hashlib
    import os

    if isinstance(password, str):
        password = password.encode("utf-8")
    salt = os.urandom(16)
    iterations = 600000
    digest = hashlib.pbkdf2_hmac("sha256", password, salt, iterations)
    return "pbkdf2_sha256$%d$%s$%s" % (iterations, salt.hex(), digest.hex())
'''

# How both verify helpers end: a value stored before the change is checked the old way.
LEGACY_FALLBACK = '''\
    if legacy is None or stored is None:
        return False
    old = legacy()
    try:
        return hmac.compare_digest(old, stored)
    except TypeError:  # text against bytes, or text that is not ASCII: compared as before
        return old == stored
'''

VERIFY_CODE = '''\
def _verify_password(password, stored, legacy=None):
    """Whether `password` matches `stored`: a value `_hash_password` made, or one the scheme used
    before it made (`legacy()` computes that one), so accounts created before the change still sign
    in. Compared in constant time."""
    import hashlib
    import hmac

    text = stored
    if isinstance(stored, (bytes, bytearray)):
        text = bytes(stored).decode("ascii", "replace")
    if isinstance(text, str) and text.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, digest = text.split("$")
            if not 0 < int(iterations) <= 10000000:
                return False
            if isinstance(password, str):
                password = password.encode("utf-8")
            computed = hashlib.pbkdf2_hmac("sha256", password, bytes.fromhex(salt), int(iterations))
        except (TypeError, ValueError):
            return False
        return hmac.compare_digest(computed.hex(), digest)
''' + LEGACY_FALLBACK


# Where the project already depends on argon2-cffi: Argon2id through its PasswordHasher, with the
# same names and the same fallback to the old scheme.
ARGON2_HASH_CODE = '''\
def _hash_password(password):
    """The stored form of `password`: Argon2id from argon2-cffi (which the project already uses), with
    a random salt and its parameters in the value ("$argon2id$v=19$m=...,t=...,p=...$<salt>$<hash>"),
    so that they can be raised later without breaking stored values."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)
'''

ARGON2_VERIFY_CODE = '''\
def _verify_password(password, stored, legacy=None):
    """Whether `password` matches `stored`: an Argon2 value `_hash_password` made, or one the scheme
    used before it made (`legacy()` computes that one), so accounts created before the change still
    sign in. Compared in constant time."""
    import hmac

    text = stored
    if isinstance(stored, (bytes, bytearray)):
        text = bytes(stored).decode("ascii", "replace")
    if isinstance(text, str) and text.startswith("$argon2"):
        from argon2 import PasswordHasher, exceptions

        try:
            return PasswordHasher().verify(text, password)
        except (exceptions.VerificationError, exceptions.InvalidHash, TypeError, ValueError):
            return False
''' + LEGACY_FALLBACK


def rewrite(source: str, replacements: list[tuple[Span, str]], helpers: tuple[str, ...], *, argon2: bool = False) -> str:
    """``source`` with each expression at a span replaced by the code text given, and ``helpers``
    (names of the two above) inserted after the imports; with ``argon2``, the Argon2 versions."""
    doc = Document(source)
    edits = Edits()
    codes = ({HASH_HELPER: ARGON2_HASH_CODE, VERIFY_HELPER: ARGON2_VERIFY_CODE} if argon2
             else {HASH_HELPER: HASH_CODE, VERIFY_HELPER: VERIFY_CODE})
    for name in helpers:
        edits.add_helper(name, codes[name])
    for span, text in replacements:
        node = doc.locate(span, cst.BaseExpression, "expression")  # type: ignore[type-abstract]
        try:
            new = cst.parse_expression(text)
        except cst.ParserSyntaxError as exc:
            raise Unfixable(f"the rewritten expression does not parse: {exc.message}") from exc
        edits.put(node, new)
    return doc.apply(edits)
