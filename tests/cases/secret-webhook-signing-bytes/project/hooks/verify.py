"""Checks the signature on incoming webhook deliveries."""

import hashlib
import hmac

WEBHOOK_SIGNING_KEY = b"whsec_9f8e7d6c5b4a3F21"
SIGNATURE_HEADER = "X-Signature-256"


def sign(payload: bytes) -> str:
    return "sha256=" + hmac.new(WEBHOOK_SIGNING_KEY, payload, hashlib.sha256).hexdigest()


def is_authentic(payload: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(payload), signature)
