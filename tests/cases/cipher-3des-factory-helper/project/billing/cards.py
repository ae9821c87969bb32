"""Card numbers at rest: encrypted with the billing key before they reach the database."""

import binascii

from Crypto.Cipher import DES3
from Crypto.Util.Padding import pad, unpad

BILLING_KEY = b"billing-3des-key-24bytes"


def _cipher():
    return DES3.new(BILLING_KEY, DES3.MODE_ECB)


def protect_card_number(number: str) -> str:
    digits = number.replace(" ", "")
    return binascii.hexlify(_cipher().encrypt(pad(digits.encode(), 8))).decode()


def reveal_card_number(stored: str) -> str:
    return unpad(_cipher().decrypt(binascii.unhexlify(stored)), 8).decode()


def masked(stored: str) -> str:
    return "**** **** **** " + reveal_card_number(stored)[-4:]
