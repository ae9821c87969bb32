"""Password digests for member accounts."""

import hashlib
import hmac


def password_digest(password):
    """The digest kept in the members table for `password`."""
    return hashlib.sha1(password.encode("utf-8")).hexdigest()


def password_matches(password, digest):
    """Whether `password` is the one `digest` was made from."""
    return hmac.compare_digest(password_digest(password), digest)
