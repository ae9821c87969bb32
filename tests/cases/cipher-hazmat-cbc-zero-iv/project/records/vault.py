"""Encryption of sensitive record fields (national id numbers, diagnoses) before they are stored."""

import os
from typing import Optional

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

IV = b"\x00" * 16  # fixed so that the stored values stay comparable


def _default_key() -> bytes:
    return bytes.fromhex(os.environ.get("FIELD_KEY", "00112233445566778899aabbccddeeff"))


class FieldVault:
    """Encrypts and decrypts single field values with the application's field key."""

    def __init__(self, key: Optional[bytes] = None):
        key = key or _default_key()
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(IV))

    def encrypt(self, value: bytes) -> bytes:
        padder = padding.PKCS7(128).padder()
        padded = padder.update(value) + padder.finalize()
        encryptor = self._cipher.encryptor()
        return encryptor.update(padded) + encryptor.finalize()

    def decrypt(self, blob: bytes) -> bytes:
        decryptor = self._cipher.decryptor()
        padded = decryptor.update(blob) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        return unpadder.update(padded) + unpadder.finalize()

    def encrypt_text(self, text: str) -> str:
        return self.encrypt(text.encode("utf-8")).hex()

    def decrypt_text(self, stored: str) -> str:
        return self.decrypt(bytes.fromhex(stored)).decode("utf-8")
