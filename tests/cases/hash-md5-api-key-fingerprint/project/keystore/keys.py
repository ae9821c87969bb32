"""Issued API keys: the store keeps a fingerprint of each key, never the key itself."""

import hashlib
import secrets


def issue_api_key(prefix="pk_live_"):
    """A new key for a client; shown to them once."""
    return prefix + secrets.token_urlsafe(24)


def fingerprint_api_key(api_key):
    """What the database stores for a key, and what a request's key is looked up by."""
    return hashlib.md5(api_key.strip().encode("utf-8")).hexdigest()


class KeyStore:
    def __init__(self):
        self._owners = {}

    def register(self, api_key, owner):
        self._owners[fingerprint_api_key(api_key)] = owner

    def owner_of(self, api_key):
        return self._owners.get(fingerprint_api_key(api_key))

    def dump(self):
        """The rows as they are written to the database."""
        return dict(self._owners)
