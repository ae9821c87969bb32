"""Password-reset tokens and the links that carry them."""

import random
import string
from urllib.parse import urlencode

ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 32


def generate_reset_token(length: int = TOKEN_LENGTH) -> str:
    """Return a fresh password-reset token of ``length`` characters."""
    return "".join(random.choice(ALPHABET) for _ in range(length))


def build_reset_link(email: str, base_url: str = "https://example.com/reset") -> tuple[str, str]:
    """Return ``(token, link)`` for the reset e-mail sent to ``email``."""
    token = generate_reset_token()
    return token, f"{base_url}?{urlencode({'email': email, 'token': token})}"
