"""Signing keys for outgoing webhooks: one random HMAC key per client, kept on disk."""

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SIGNING_KEY_DIR = os.environ.get("TOKENSIGN_KEY_DIR", "signing-keys")


def create_signing_key(client, key_dir=SIGNING_KEY_DIR):
    """Make a new key for `client` and return the path of the file that holds it."""
    os.makedirs(key_dir, exist_ok=True)
    path = Path(key_dir) / (client + ".key")
    path.write_bytes(base64.urlsafe_b64encode(secrets.token_bytes(32)))
    return str(path)


def load_signing_key(client, key_dir=SIGNING_KEY_DIR):
    return base64.urlsafe_b64decode((Path(key_dir) / (client + ".key")).read_bytes())


def sign(client, body, key_dir=SIGNING_KEY_DIR):
    """The signature header value for a webhook `body` sent to `client`."""
    digest = hmac.new(load_signing_key(client, key_dir), body, hashlib.sha256).hexdigest()
    return "sha256=" + digest
