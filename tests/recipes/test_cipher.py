"""PF-CIPHER: which ciphers, modes, IVs and key sizes are reported, and what the fix does and refuses."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.codemods.base import Unfixable
from provenfix.detect import detect
from provenfix.recipes import BY_RULE
from provenfix.workspace import SourceFile

HEAD = """\
import os
from Crypto.Cipher import AES, ARC4, DES, DES3
from Crypto.PublicKey import RSA, DSA, ECC
from Crypto.Util.Padding import pad, unpad
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
KEY = b"k" * 16
IV = b"\\0" * 16
"""


def _detect(body: str, path: str = "app/crypto.py"):
    files = [SourceFile(path, HEAD + textwrap.dedent(body))]
    return detect(files)


def findings(body: str, path: str = "app/crypto.py") -> list[str]:
    return [f.message.split(":")[0] for f in _detect(body, path).findings if f.rule_id == "PF-CIPHER"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("def enc(d):\n    return AES.new(KEY, AES.MODE_ECB).encrypt(d)\n", ["encrypts with AES in ECB mode"]),
        ("def enc(d):\n    c = AES.new(KEY, AES.MODE_CBC, iv=bytes(16))\n    return c.encrypt(d)\n",
         ["encrypts with AES (CBC) under a constant IV"]),
        ("def enc(d):\n    return AES.new(KEY, AES.MODE_CTR, nonce=b'12345678').encrypt(d)\n",
         ["encrypts with AES (CTR) under a constant nonce"]),
        ("def enc(d):\n    return ARC4.new(KEY).encrypt(d)\n", ["encrypts with RC4"]),
        ("def enc(d):\n    return DES3.new(KEY, DES3.MODE_ECB).encrypt(d)\n", ["encrypts with 3DES in ECB mode"]),
        ("def enc(d):\n    e = Cipher(algorithms.AES(KEY), modes.ECB()).encryptor()\n    return e.update(d) + e.finalize()\n",
         ["encrypts with AES in ECB mode"]),
        ("def enc(d):\n    e = Cipher(algorithms.AES(KEY), modes.GCM(IV)).encryptor()\n    return e.update(d) + e.finalize()\n",
         ["encrypts with AES (GCM) under a constant nonce"]),
        ("def enc(d):\n    e = Cipher(algorithms.TripleDES(KEY), modes.CBC(os.urandom(8))).encryptor()\n"
         "    return e.update(d) + e.finalize()\n", ["encrypts with 3DES"]),
        ("def make():\n    return rsa.generate_private_key(public_exponent=65537, key_size=1024)\n",
         ["generates a 1024-bit RSA key, which is too small"]),
        ("def make():\n    return dsa.generate_private_key(1024)\n", ["generates a 1024-bit DSA key, which is too small"]),
        ("def make():\n    return ec.generate_private_key(ec.SECP192R1())\n", ["generates a key on the SECP192R1 curve, under 224 bits"]),
        ("def make():\n    return RSA.generate(1024)\n", ["generates a 1024-bit RSA key, which is too small"]),
        ("def make():\n    return ECC.generate(curve='P-192')\n", ["generates a key on the P-192 curve, under 224 bits"]),
    ],
)
def test_weak_ciphers_and_keys_are_reported(body: str, expected: list[str]) -> None:
    assert findings(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # random IVs and nonces, AEAD modes, large keys
        "def enc(d):\n    iv = os.urandom(16)\n    return iv + AES.new(KEY, AES.MODE_CBC, iv).encrypt(d)\n",
        "def enc(d):\n    c = AES.new(KEY, AES.MODE_GCM)\n    return c.nonce + c.encrypt(d)\n",
        "def enc(d, iv):\n    e = Cipher(algorithms.AES(KEY), modes.CBC(iv)).encryptor()\n    return e.update(d) + e.finalize()\n",
        "def make():\n    return rsa.generate_private_key(public_exponent=65537, key_size=2048)\n",
        "def make(bits):\n    return RSA.generate(bits)\n",  # the caller's choice
        "def make():\n    return ec.generate_private_key(ec.SECP256R1())\n",
        # decrypting only: reading data an older version wrote
        "def read_old(blob):\n    return unpad(AES.new(KEY, AES.MODE_ECB).decrypt(blob), 16)\n",
    ],
)
def test_safe_uses_are_not_reported(body: str) -> None:
    assert findings(body) == []


def test_test_code_is_not_reported() -> None:
    assert findings("def test_vector():\n    return AES.new(KEY, AES.MODE_ECB).encrypt(b'x' * 16)\n",
                    path="tests/test_vectors.py") == []


def _fix(body: str) -> dict[str, str]:
    detection = _detect(body)
    item = next(d for d in detection.items if d.finding.rule_id == "PF-CIPHER")
    texts = {"app/crypto.py": HEAD + textwrap.dedent(body)}
    return item.recipe.rewrite(item.match, texts, detection.index)


PAIR = """\
def seal(data):
    cipher = AES.new(KEY, AES.MODE_ECB)
    return cipher.encrypt(pad(data, 16))

def unseal(blob):
    return unpad(AES.new(KEY, AES.MODE_ECB).decrypt(blob), 16)
"""


def test_encrypt_and_decrypt_sides_change_together_and_round_trip() -> None:
    fixed = _fix(PAIR)["app/crypto.py"]
    assert fixed.count("_aes_gcm(KEY)") == 2 and "MODE_ECB" not in fixed
    namespace: dict = {}
    exec(compile(fixed, "crypto.py", "exec"), namespace)
    sealed = namespace["seal"](b"attack at dawn!!" * 2)
    assert sealed != namespace["seal"](b"attack at dawn!!" * 2)
    assert namespace["unseal"](sealed) == b"attack at dawn!!" * 2


def test_hazmat_encryptor_and_decryptor_round_trip() -> None:
    body = """\
def seal(data):
    e = Cipher(algorithms.AES(KEY), modes.CBC(IV)).encryptor()
    return e.update(pad(data, 16)) + e.finalize()

def unseal(blob):
    d = Cipher(algorithms.AES(KEY), modes.CBC(IV)).decryptor()
    return unpad(d.update(blob) + d.finalize(), 16)
"""
    fixed = _fix(body)["app/crypto.py"]
    namespace: dict = {}
    exec(compile(fixed, "crypto.py", "exec"), namespace)
    assert namespace["unseal"](namespace["seal"](b"record")) == b"record"
    assert namespace["seal"](b"record") != namespace["seal"](b"record")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("def seal(data):\n    return AES.new(KEY, AES.MODE_ECB).encrypt(pad(data, 16))\n", "nothing in this module decrypts"),
        ("def seal(data):\n    c = AES.new(KEY, AES.MODE_CBC, IV)\n    return c.iv + c.encrypt(data)\n"
         "def unseal(blob):\n    return AES.new(KEY, AES.MODE_CBC, IV).decrypt(blob)\n", "has its `iv` read"),
        ("def seal(data):\n    return AES.new(b'short', AES.MODE_ECB).encrypt(data)\n"
         "def unseal(blob):\n    return AES.new(b'short', AES.MODE_ECB).decrypt(blob)\n", "is 5 bytes"),
    ],
)
def test_what_cannot_be_rewritten_consistently_is_refused(body: str, reason: str) -> None:
    with pytest.raises(Unfixable, match=reason):
        _fix(body)


def test_des_is_reported_unfixable() -> None:
    detection = _detect("def seal(d):\n    return DES.new(b'8bytekey', DES.MODE_ECB).encrypt(d)\n")
    (item,) = [d for d in detection.items if d.finding.rule_id == "PF-CIPHER"]
    assert "too small for any safe cipher" in item.match.detail["unfixable"]


def test_key_size_fix_rewrites_the_number() -> None:
    body = "BITS = 1024\ndef make():\n    return RSA.generate(BITS)\n"
    assert "BITS = 2048" in _fix(body)["app/crypto.py"]
    assert "ec.SECP256R1()" in _fix("def make():\n    return ec.generate_private_key(ec.SECP192R1())\n")["app/crypto.py"]


def test_declares_bandit_and_ruff_ids() -> None:
    assert {"B304", "B305", "B505"} <= BY_RULE["PF-CIPHER"].equivalent_ids
