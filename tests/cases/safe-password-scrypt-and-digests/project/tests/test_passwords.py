from identity.hashers import UnsaltedSHA1PasswordHasher
from identity.passwords import check_password, derive_key, file_checksum, hash_password, pwned_range_query


def test_round_trip():
    stored = hash_password("a long passphrase")
    assert check_password("a long passphrase", stored)
    assert not check_password("another passphrase", stored)
    assert hash_password("a long passphrase") != stored


def test_other_digests(tmp_path):
    assert pwned_range_query("password")[0] == "5BAA6"
    salt, key = derive_key("pass phrase", b"0" * 16)
    assert len(key) == 32
    (tmp_path / "f").write_bytes(b"x")
    assert len(file_checksum(tmp_path / "f")) == 64
    assert UnsaltedSHA1PasswordHasher().verify("old", "sha1$$" + "0" * 40) is False
