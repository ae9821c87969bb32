from svcauth.credentials import CredentialStore


def test_set_and_verify(tmp_path):
    store = CredentialStore(tmp_path / "creds.json")
    store.set_password("backup-bot", "tr0ub4dor&3")
    assert store.verify("backup-bot", "tr0ub4dor&3")
    assert not store.verify("backup-bot", "tr0ub4dor&4")
    assert not store.verify("deploy-bot", "tr0ub4dor&3")


def test_persisted_between_instances(tmp_path):
    CredentialStore(tmp_path / "creds.json").set_password("deploy-bot", "hunter2hunter2")
    again = CredentialStore(tmp_path / "creds.json")
    assert again.verify("deploy-bot", "hunter2hunter2")
    assert "hunter2" not in (tmp_path / "creds.json").read_text()
