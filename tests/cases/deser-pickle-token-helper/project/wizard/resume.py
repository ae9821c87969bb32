"""Users can leave the setup wizard and come back with a token."""

import base64

from wizard.codec import decode, encode


def make_token(state: dict) -> str:
    return base64.urlsafe_b64encode(encode(state)).decode("ascii")


def resume(token: str) -> dict:
    """The wizard state a token carries."""
    return decode(base64.urlsafe_b64decode(token))
