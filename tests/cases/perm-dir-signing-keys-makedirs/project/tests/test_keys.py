import hashlib
import hmac
import os

from tokensign.keys import create_signing_key, load_signing_key, sign


def test_a_new_key_signs_webhooks(tmp_path):
    key_dir = str(tmp_path / "keys")
    path = create_signing_key("acme", key_dir=key_dir)
    assert os.path.isfile(path) and path.endswith("acme.key")
    key = load_signing_key("acme", key_dir=key_dir)
    assert len(key) == 32
    expected = hmac.new(key, b"{}", hashlib.sha256).hexdigest()
    assert sign("acme", b"{}", key_dir=key_dir) == "sha256=" + expected


def test_keys_of_two_clients_share_the_folder(tmp_path):
    key_dir = str(tmp_path / "keys")
    create_signing_key("acme", key_dir=key_dir)
    create_signing_key("globex", key_dir=key_dir)
    assert sorted(os.listdir(key_dir)) == ["acme.key", "globex.key"]
    assert load_signing_key("acme", key_dir) != load_signing_key("globex", key_dir)
