"""Password storage done right, and digests near passwords that are not password storage."""

import hashlib
import hmac
import os
import secrets

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
PBKDF2_ROUNDS = 600_000


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)
    return "scrypt$" + salt.hex() + "$" + digest.hex()


def check_password(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    computed = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), **SCRYPT)
    return hmac.compare_digest(computed.hex(), digest)


def derive_key(passphrase: str, salt: bytes = None):
    """An encryption key from a passphrase, with its random salt."""
    salt = salt or secrets.token_bytes(16)
    return salt, hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, PBKDF2_ROUNDS)


def pwned_range_query(password: str):
    """The k-anonymity query of Have I Been Pwned: only the first 5 hex digits leave the machine."""
    digest = hashlib.sha1(password.encode("utf-8")).hexdigest().upper()
    return digest[:5], digest[5:]


def reset_token_digest(token: str) -> str:
    """Reset tokens are random; their digest is what the database keeps."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def file_checksum(path) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def password_strength(password: str) -> int:
    return min(len(set(password)), 10)
