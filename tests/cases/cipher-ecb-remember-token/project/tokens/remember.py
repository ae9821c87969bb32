"""Remember-me tokens: the user's id and login time, encrypted so the browser cannot read or forge them."""

import base64
import json
import os
import time

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad

TOKEN_KEY = os.environ.get("TOKEN_KEY", "dev-only-16bytes").encode()


def seal_token(payload: str) -> str:
    """Encrypt ``payload`` into URL-safe text for a cookie."""
    cipher = AES.new(TOKEN_KEY, AES.MODE_ECB)
    sealed = cipher.encrypt(pad(payload.encode("utf-8"), AES.block_size))
    return base64.urlsafe_b64encode(sealed).decode("ascii")


def open_token(token: str) -> str:
    """The payload of a token made by ``seal_token``."""
    cipher = AES.new(TOKEN_KEY, AES.MODE_ECB)
    plain = unpad(cipher.decrypt(base64.urlsafe_b64decode(token)), AES.block_size)
    return plain.decode("utf-8")


def remember(user_id: int) -> str:
    """A token that signs ``user_id`` back in."""
    return seal_token(json.dumps({"uid": user_id, "at": int(time.time())}))


def recall(token: str) -> int:
    """The user id a remember-me token names."""
    return int(json.loads(open_token(token))["uid"])
