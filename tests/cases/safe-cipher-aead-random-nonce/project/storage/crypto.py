"""Blob encryption: AES-GCM for new data, a reader for blobs written by version 1 (AES-ECB)."""

import os

from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad, unpad
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_BITS = 3072


def seal(key: bytes, data: bytes) -> bytes:
    nonce = get_random_bytes(12)
    ciphertext, tag = AES.new(key, AES.MODE_GCM, nonce=nonce).encrypt_and_digest(data)
    return nonce + ciphertext + tag


def unseal(key: bytes, blob: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_GCM, nonce=blob[:12])
    return cipher.decrypt_and_verify(blob[12:-16], blob[-16:])


def seal_cbc(key: bytes, data: bytes) -> bytes:
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(pad(data, 16)) + encryptor.finalize()


def unseal_cbc(key: bytes, blob: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(blob[:16])).decryptor()
    return unpad(decryptor.update(blob[16:]) + decryptor.finalize(), 16)


def read_v1_blob(key: bytes, blob: bytes) -> bytes:
    """Blobs of version 1 were AES-ECB; they are only read, to be sealed again with `seal`."""
    return unpad(AES.new(key, AES.MODE_ECB).decrypt(blob), 16)


def signing_keys():
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS), ec.generate_private_key(ec.SECP256R1())
