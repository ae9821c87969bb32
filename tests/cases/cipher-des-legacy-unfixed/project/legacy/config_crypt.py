"""Encrypted values in the configuration file (passwords of the mail and database servers)."""

import base64

from Crypto.Cipher import DES
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad, unpad

CONFIG_KEY = b"c0nf1g!!"  # 8 bytes: DES


def encrypt_setting(value: str) -> str:
    iv = get_random_bytes(8)
    cipher = DES.new(CONFIG_KEY, DES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(pad(value.encode(), 8))).decode()


def decrypt_setting(stored: str) -> str:
    raw = base64.b64decode(stored)
    cipher = DES.new(CONFIG_KEY, DES.MODE_CBC, raw[:8])
    return unpad(cipher.decrypt(raw[8:]), 8).decode()
