"""PF-PASSWORD: which password hashing is reported, and what the rewrite makes of it."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import detect
from provenfix.recipes import BY_RULE
from provenfix.workspace import SourceFile


def _found(code: str, path: str = "app/auth.py") -> list:
    files = [SourceFile(path, textwrap.dedent(code))]
    return [d for d in detect(files).items if d.finding.rule_id == "PF-PASSWORD"]


REPORTED = {
    "sha256-hexdigest": """
        import hashlib
        def hash_password(password):
            return hashlib.sha256(password.encode()).hexdigest()
    """,
    "md5-from-import-constant-salt": """
        from hashlib import md5
        SALT = "s"
        def make(pwd):
            return md5((SALT + pwd).encode()).hexdigest()
    """,
    "new-sha512-attribute": """
        import hashlib
        def store(user):
            user.password_hash = hashlib.new("sha512", user.password.encode()).hexdigest()
    """,
    "form-subscript": """
        import hashlib
        def register(form, db):
            db[form["username"]] = hashlib.sha1(form["password"].encode()).hexdigest()
    """,
    "pbkdf2-constant-salt": """
        import hashlib
        def derive(passphrase):
            return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), b"fixed", 600000)
    """,
    "pbkdf2-few-iterations": """
        import hashlib, os
        def derive(passphrase):
            salt = os.urandom(16)
            return salt + hashlib.pbkdf2_hmac("sha1", passphrase.encode(), salt, 10000)
    """,
    "pbkdf2-username-salt": """
        import hashlib
        def derive(username, password):
            return hashlib.pbkdf2_hmac("sha256", password.encode(), username.encode(), 600000)
    """,
}

NOT_REPORTED = {
    "checksum": """
        import hashlib
        def checksum(data):
            return hashlib.sha256(data).hexdigest()
    """,
    "hibp-prefix": """
        import hashlib
        def pwned(password):
            digest = hashlib.sha1(password.encode()).hexdigest().upper()
            return digest[:5], digest[5:]
    """,
    "verify-side-only": """
        import hashlib, hmac
        def check(password, stored):
            return hmac.compare_digest(hashlib.sha256(password.encode()).hexdigest(), stored)
    """,
    "bcrypt-prehash": """
        import base64, hashlib
        import bcrypt
        def hash_password(password):
            return bcrypt.hashpw(base64.b64encode(hashlib.sha256(password.encode()).digest()), bcrypt.gensalt())
    """,
    "pbkdf2-good": """
        import hashlib, os
        def derive(password):
            salt = os.urandom(16)
            return salt + hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    """,
    "password-hash-column": """
        import hashlib
        def fingerprint(user):
            return hashlib.sha256(user.password_hash.encode()).hexdigest()
    """,
    "not-for-security": """
        import hashlib
        def bucket(password):
            return hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    """,
    "legacy-hasher-plugin": """
        import hashlib
        class UnsaltedMD5PasswordHasher(BasePasswordHasher):
            def encode(self, password):
                return hashlib.md5(password.encode()).hexdigest()
    """,
}


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_reported(name: str) -> None:
    assert len(_found(REPORTED[name])) == 1


@pytest.mark.parametrize("name", sorted(NOT_REPORTED))
def test_not_reported(name: str) -> None:
    assert _found(NOT_REPORTED[name]) == []


def _rewrite(code: str) -> str:
    code = textwrap.dedent(code)
    files = [SourceFile("app/auth.py", code)]
    detection = detect(files)
    (item,) = [d for d in detection.items if d.finding.rule_id == "PF-PASSWORD"]
    return BY_RULE["PF-PASSWORD"].rewrite(item.match, {"app/auth.py": code}, detection.index)["app/auth.py"]


def _run(code: str) -> dict:
    scope: dict = {}
    exec(compile(code, "auth.py", "exec"), scope)
    return scope


def test_rewrite_keeps_old_values_and_salts_new_ones() -> None:
    old_code = """
        import hashlib
        def hash_password(password):
            return hashlib.sha256(password.encode()).hexdigest()
        def check_password(password, stored):
            return hash_password(password) == stored
        def refuse(password, stored):
            return hashlib.sha256(password.encode()).hexdigest() != stored
    """
    old = _run(textwrap.dedent(old_code))
    new = _run(_rewrite(old_code))
    legacy = old["hash_password"]("pw-1")
    assert new["check_password"]("pw-1", legacy) and not new["check_password"]("pw-2", legacy)
    assert not new["refuse"]("pw-1", legacy) and new["refuse"]("pw-2", legacy)
    fresh = new["hash_password"]("pw-1")
    assert fresh.startswith("pbkdf2_sha256$600000$") and fresh != new["hash_password"]("pw-1")
    assert new["check_password"]("pw-1", fresh) and not new["check_password"]("pw-2", fresh)


def test_rewrite_keeps_bytes_digests_bytes() -> None:
    code = """
        import hashlib, hmac
        class Store:
            def digest(self, user, password):
                return hashlib.sha1(f"{user}:{password}".encode()).digest()
            def ok(self, user, password, stored):
                return hmac.compare_digest(self.digest(user, password), stored)
    """
    new = _run(_rewrite(code))["Store"]()
    old = _run(textwrap.dedent(code))["Store"]()
    assert isinstance(new.digest("u", "p"), bytes)
    assert new.ok("u", "p", old.digest("u", "p")) and not new.ok("u", "q", old.digest("u", "p"))
    assert new.ok("u", "p", new.digest("u", "p"))


@pytest.mark.parametrize("code, reason", [
    ("""
        import hashlib
        def hash_pw(pw):
            return hashlib.sha1(pw.encode()).hexdigest()
        def login(conn, name, pw):
            return conn.execute("SELECT 1 FROM users WHERE name = ? AND pw = ?", (name, hash_pw(pw))).fetchone()
    """, "database query"),
    ("""
        import hashlib
        def hash_password(password):
            return hashlib.sha256(password.encode()).hexdigest()
    """, "none was found"),
    ("""
        import hashlib
        def register(db, name, password):
            db[name] = hashlib.sha256(password.encode()).hexdigest()
        def check(db, name, password):
            return db[name] == hashlib.sha256(password.encode()).hexdigest()
    """, "does not return the hash"),
])
def test_unfixable_shapes_say_why(code: str, reason: str) -> None:
    from provenfix.codemods.base import Unfixable

    with pytest.raises(Unfixable, match=reason):
        _rewrite(code)


# -- argon2 where the project already uses argon2-cffi ------------------------------------

def _rewrite_files(files: dict[str, str], path: str = "app/auth.py") -> str:
    sources = [SourceFile(p, textwrap.dedent(t)) for p, t in files.items()]
    texts = {f.path: f.text for f in sources}
    detection = detect(sources)
    (item,) = [d for d in detection.items if d.finding.rule_id == "PF-PASSWORD"]
    return BY_RULE["PF-PASSWORD"].rewrite(item.match, texts, detection.index)[path]


SHA1_PAIR = """
    import hashlib, hmac
    def password_digest(password):
        return hashlib.sha1(password.encode()).hexdigest()
    def password_matches(password, digest):
        return hmac.compare_digest(password_digest(password), digest)
"""


def test_rewrite_uses_argon2_where_a_module_imports_it() -> None:
    code = _rewrite_files({"app/auth.py": SHA1_PAIR, "app/tokens.py": "from argon2 import PasswordHasher\n"})
    assert "PasswordHasher().hash(password)" in code and "pbkdf2_hmac" not in code
    old, new = _run(textwrap.dedent(SHA1_PAIR)), _run(code)
    legacy = old["password_digest"]("pw-1")
    assert new["password_matches"]("pw-1", legacy) and not new["password_matches"]("pw-2", legacy)
    fresh = new["password_digest"]("pw-1")
    assert fresh.startswith("$argon2id$") and fresh != new["password_digest"]("pw-1")
    assert new["password_matches"]("pw-1", fresh) and not new["password_matches"]("pw-2", fresh)
    assert not new["password_matches"]("pw-1", "$argon2id$not-a-hash")


def test_rewrite_keeps_bytes_digests_bytes_with_argon2() -> None:
    code = """
        import hashlib, hmac
        import argon2
        class Store:
            def digest(self, user, password):
                return hashlib.sha1(f"{user}:{password}".encode()).digest()
            def ok(self, user, password, stored):
                return hmac.compare_digest(self.digest(user, password), stored)
    """
    new = _run(_rewrite(code))["Store"]()
    old = _run(textwrap.dedent(code))["Store"]()
    assert isinstance(new.digest("u", "p"), bytes) and new.digest("u", "p").startswith(b"$argon2")
    assert new.ok("u", "p", old.digest("u", "p")) and not new.ok("u", "q", old.digest("u", "p"))
    assert new.ok("u", "p", new.digest("u", "p")) and not new.ok("u", "q", new.digest("u", "p"))


def test_argon2_imported_only_by_tests_keeps_pbkdf2() -> None:
    code = _rewrite_files({"app/auth.py": SHA1_PAIR, "tests/test_auth.py": "import argon2\n"})
    assert "pbkdf2_hmac" in code and "argon2" not in code
