"""Signs licence files so the desktop client can check them offline."""

import json

from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from Crypto.Signature import pkcs1_15

KEY_BITS = 1024  # keeps licence files short


class LicenseSigner:
    """Holds the vendor's signing key; `rotate` replaces it with a new one."""

    def __init__(self) -> None:
        self.key = None

    def rotate(self):
        """Make a new signing key and return its public half, to ship with the client."""
        self.key = RSA.generate(KEY_BITS)
        return self.key.publickey()

    def sign(self, licence: dict) -> dict:
        if self.key is None:
            self.rotate()
        body = json.dumps(licence, sort_keys=True).encode()
        signature = pkcs1_15.new(self.key).sign(SHA256.new(body))
        return {"licence": licence, "signature": signature.hex()}


def verify(public_key, signed: dict) -> bool:
    body = json.dumps(signed["licence"], sort_keys=True).encode()
    try:
        pkcs1_15.new(public_key).verify(SHA256.new(body), bytes.fromhex(signed["signature"]))
    except ValueError:
        return False
    return True
