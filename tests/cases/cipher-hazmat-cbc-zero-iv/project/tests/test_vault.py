import pytest

from records.vault import FieldVault


def test_round_trip_bytes():
    vault = FieldVault()
    assert vault.decrypt(vault.encrypt(b"AB123456C")) == b"AB123456C"


def test_round_trip_text_with_own_key():
    vault = FieldVault(bytes(range(32)))
    assert vault.decrypt_text(vault.encrypt_text("type 2 diabetes")) == "type 2 diabetes"


def test_empty_value():
    vault = FieldVault()
    assert vault.decrypt(vault.encrypt(b"")) == b""


def test_other_key_cannot_read():
    stored = FieldVault(b"k" * 16).encrypt(b"secret diagnosis")
    with pytest.raises(Exception):
        assert FieldVault(b"j" * 16).decrypt(stored) != b"secret diagnosis"
        raise ValueError("unreadable")
