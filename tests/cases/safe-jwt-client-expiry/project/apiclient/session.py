"""Keeps the client's access token fresh. The server verifies the token; the client only needs
to know when it runs out, and has no key to verify it with anyway."""

import time

import jwt

REFRESH_MARGIN = 60  # seconds before expiry


def expires_at(access_token: str) -> int:
    return jwt.decode(access_token, options={"verify_signature": False})["exp"]


def needs_refresh(access_token: str, now=None) -> bool:
    claims = jwt.decode(access_token, options={"verify_signature": False, "verify_exp": False})
    now = time.time() if now is None else now
    return claims.get("exp", 0) - REFRESH_MARGIN <= now
