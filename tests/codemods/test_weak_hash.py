"""PF-HASH: the rewrite to SHA-256 (codemods/weak_hash.py) and which uses the detector reports."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.codemods.weak_hash import fix_hash
from provenfix.detect import detect
from provenfix.workspace import SourceFile

from .harness import assert_unfixable, run_and_assert


@pytest.mark.parametrize(
    ("source", "at", "fixed"),
    [
        ("import hashlib\nd = hashlib.md5(b'x').hexdigest()\n", "hashlib.md5(b'x')",
         "import hashlib\nd = hashlib.sha256(b'x').hexdigest()\n"),
        ("import hashlib as hl\nd = hl.sha1(b'x', usedforsecurity=True)\n", "hl.sha1(b'x', usedforsecurity=True)",
         "import hashlib as hl\nd = hl.sha256(b'x', usedforsecurity=True)\n"),
        ("from hashlib import md5\nd = md5(b'x')\n", "md5(b'x')", "from hashlib import md5\nimport hashlib\n\nd = hashlib.sha256(b'x')\n"),
        ("import hashlib\nh = hashlib.new('MD5')\n", "hashlib.new('MD5')", "import hashlib\nh = hashlib.new('sha256')\n"),
        ("import hashlib\nALGO = 'sha1'\nh = hashlib.new(ALGO, b'x')\n", "hashlib.new(ALGO, b'x')",
         "import hashlib\nALGO = 'sha1'\nh = hashlib.new(\"sha256\", b'x')\n"),
        ("import hashlib, hmac\nt = hmac.new(k, m, hashlib.md5)\n", "hmac.new(k, m, hashlib.md5)",
         "import hashlib, hmac\nt = hmac.new(k, m, hashlib.sha256)\n"),
        ("import hmac\nt = hmac.new(k, m, digestmod='sha1')\n", "hmac.new(k, m, digestmod='sha1')",
         "import hmac\nt = hmac.new(k, m, digestmod='sha256')\n"),
        ("from Crypto.Hash import MD5\nh = MD5.new(b'x')\n", "MD5.new(b'x')", "from Crypto.Hash import SHA256, MD5\nh = SHA256.new(b'x')\n"),
        ("from cryptography.hazmat.primitives import hashes\ns = k.sign(d, p, hashes.SHA1())\n", "hashes.SHA1()",
         "from cryptography.hazmat.primitives import hashes\ns = k.sign(d, p, hashes.SHA256())\n"),
    ],
)
def test_weak_algorithm_becomes_sha256(source: str, at: str, fixed: str) -> None:
    run_and_assert(fix_hash, source, fixed, at=at)


def test_computed_algorithm_is_refused() -> None:
    assert_unfixable(fix_hash, "import hashlib\nh = hashlib.new(prefix + '5')\n", at="hashlib.new(prefix + '5')",
                     match="computed")


def _found(source: str) -> list[int]:
    files = [SourceFile("pkg/mod.py", textwrap.dedent(source))]
    return [f.location.start_line for f in detect(files).findings if f.rule_id == "PF-HASH"]


def test_security_uses_are_reported() -> None:
    assert _found("""
        import hashlib, hmac
        SECRET = b"k"
        def sign_message(body):
            return hmac.new(SECRET, body, "md5").hexdigest()
        def session_token(user):
            return hashlib.sha1(user.encode()).hexdigest()
        class Manifest:
            ALGORITHM = "md5"
            def integrity_digest(self, blob):
                h = hashlib.new(self.ALGORITHM)
                h.update(blob)
                return h.hexdigest()
    """) == [5, 7, 11]


def test_non_security_uses_and_passwords_are_not() -> None:
    assert _found("""
        import hashlib
        def cache_key(url):
            return hashlib.md5(url.encode()).hexdigest()
        def etag(body):
            return hashlib.sha1(body).hexdigest()
        def token_fingerprint(token):
            return hashlib.md5(token.encode(), usedforsecurity=False).hexdigest()
        def hash_password(password):
            return hashlib.md5(password.encode()).hexdigest()
        def checksum(data):
            return hashlib.md5(data).hexdigest()
        def session_digest(session):
            return hashlib.sha256(session).hexdigest()
    """) == []
