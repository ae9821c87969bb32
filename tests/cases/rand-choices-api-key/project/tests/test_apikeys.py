import string

from keys.apikeys import hash_key, issue_key, new_api_key


def test_key_shape():
    key = new_api_key()
    assert key.startswith("pk_")
    body = key[len("pk_"):]
    assert len(body) >= 16
    assert set(body) <= set(string.ascii_letters + string.digits + "-_")


def test_custom_prefix():
    assert new_api_key("sk_").startswith("sk_")


def test_issue_key_stores_hash():
    registry = {}
    key = issue_key(registry, "alice")
    assert registry == {hash_key(key): "alice"}
