"""Password-reset tokens."""

from __future__ import annotations

import random
import string
from datetime import timedelta

ALPHABET = string.ascii_letters + string.digits
RESET_TOKEN_TTL = timedelta(hours=1)


def new_reset_token(length: int = 32) -> str:
    """A random token sent to the user by e-mail to reset their password."""
    return "".join(random.choice(ALPHABET) for _ in range(length))


def looks_like_token(value: str, length: int = 32) -> bool:
    """Cheap shape check before hitting the database."""
    return len(value) == length and all(c in ALPHABET for c in value)
