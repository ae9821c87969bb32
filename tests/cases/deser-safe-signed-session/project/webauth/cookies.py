"""Session data kept in a signed cookie: only the server, which holds the key, can write one."""

import base64
import hashlib
import hmac
import os
import pickle

SECRET_KEY = os.environ.get("SESSION_KEY", "dev-only-key").encode()


def _sign(payload: bytes) -> bytes:
    return hmac.new(SECRET_KEY, payload, hashlib.sha256).digest()


def dump_session(data: dict) -> str:
    payload = pickle.dumps(data)
    return base64.urlsafe_b64encode(_sign(payload) + payload).decode("ascii")


def load_session(cookie: str) -> dict:
    """The session a cookie carries, or an empty one when the signature does not match."""
    raw = base64.urlsafe_b64decode(cookie)
    signature, payload = raw[:32], raw[32:]
    if not hmac.compare_digest(signature, _sign(payload)):
        return {}
    return pickle.loads(payload)
