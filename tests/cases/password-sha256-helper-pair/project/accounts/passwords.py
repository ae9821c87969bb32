"""How account passwords are stored and checked."""

import hashlib


def hash_password(password: str) -> str:
    """The value kept in the users table for `password`."""
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def check_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from."""
    return hash_password(password) == stored
