from keystore.keys import KeyStore, fingerprint_api_key, issue_api_key


def test_issued_keys_are_distinct():
    assert issue_api_key() != issue_api_key()


def test_fingerprint_is_stable_and_ignores_whitespace():
    key = issue_api_key()
    assert fingerprint_api_key(key) == fingerprint_api_key(" " + key + "\n")
    assert fingerprint_api_key(key) != fingerprint_api_key(issue_api_key())


def test_store_finds_owner_by_key_without_keeping_the_key():
    store = KeyStore()
    key = issue_api_key()
    store.register(key, "acme")
    assert store.owner_of(key) == "acme"
    assert store.owner_of(issue_api_key()) is None
    assert key not in repr(store.dump())
