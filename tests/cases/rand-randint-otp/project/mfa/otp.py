"""One-time login codes: issue, remember, check."""

import hmac
import random


def generate_otp() -> str:
    """Return a fresh six-digit one-time code."""
    return str(random.randint(100000, 999999))


def issue_otp(pending: dict[str, str], username: str) -> str:
    """Create a code for ``username``, remember it in ``pending`` and return it."""
    code = generate_otp()
    pending[username] = code
    return code


def verify_otp(pending: dict[str, str], username: str, code: str) -> bool:
    """Check (and consume) the code the user typed."""
    expected = pending.pop(username, None)
    return expected is not None and hmac.compare_digest(expected, code)
