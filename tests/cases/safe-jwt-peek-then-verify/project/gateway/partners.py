"""Each partner signs its tokens with its own shared secret; the issuer claim says which one."""

import os

import jwt

PARTNER_KEYS = {
    "acme": os.environ.get("ACME_SHARED_KEY", "acme-dev-shared-key-0123456789abcd"),
    "globex": os.environ.get("GLOBEX_SHARED_KEY", "globex-dev-shared-key-0123456789ab"),
}


def partner_claims(token: str) -> dict:
    """The claims of a partner's token, checked against that partner's key."""
    unverified = jwt.decode(token, options={"verify_signature": False})
    issuer = unverified.get("iss")
    if issuer not in PARTNER_KEYS:
        raise PermissionError(f"unknown issuer {issuer!r}")
    return jwt.decode(token, PARTNER_KEYS[issuer], algorithms=["HS256"], issuer=issuer)


def token_header(token: str) -> dict:
    """The header alone, for logging which key id a partner used."""
    return jwt.get_unverified_header(token)
