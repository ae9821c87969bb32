from Crypto.Cipher import AES
from Crypto.Util.Padding import pad

from storage.crypto import read_v1_blob, seal, seal_cbc, signing_keys, unseal, unseal_cbc

KEY = bytes(range(16))


def test_gcm_round_trip():
    assert unseal(KEY, seal(KEY, b"blob")) == b"blob"


def test_cbc_round_trip():
    assert unseal_cbc(KEY, seal_cbc(KEY, b"blob")) == b"blob"


def test_v1_blob_is_read():
    old = AES.new(KEY, AES.MODE_ECB).encrypt(pad(b"old data", 16))  # how version 1 wrote it
    assert read_v1_blob(KEY, old) == b"old data"


def test_key_sizes():
    private, ec_key = signing_keys()
    assert private.key_size == 3072 and ec_key.curve.key_size == 256
