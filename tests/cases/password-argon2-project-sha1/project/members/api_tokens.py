"""API tokens: the newer part of the registry already stores them hashed with Argon2."""

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error

_hasher = PasswordHasher()


def store_token(token: str) -> str:
    return _hasher.hash(token)


def token_matches(token: str, stored: str) -> bool:
    try:
        return _hasher.verify(stored, token)
    except Argon2Error:
        return False
