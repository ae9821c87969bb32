from acmectl.credentials import CredentialStore


def test_saved_tokens_are_loaded_back(tmp_path):
    store = CredentialStore(tmp_path)
    path = store.save("default", "tok-123")
    assert path.name == "default.json"
    assert store.load("default") == "tok-123"
    assert store.load("staging") is None


def test_profiles_are_listed(tmp_path):
    store = CredentialStore(tmp_path)
    assert store.profiles() == []
    store.save("prod", "a")
    store.save("dev", "b")
    assert store.profiles() == ["dev", "prod"]
    store.save("dev", "c")
    assert CredentialStore(tmp_path).load("dev") == "c"
