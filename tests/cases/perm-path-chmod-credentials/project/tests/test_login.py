from cloudcfg.login import load_credentials, save_credentials


def test_credentials_round_trip(tmp_path):
    path = save_credentials(tmp_path, "AKIA123", "wJalr")
    assert path.name == "credentials.json"
    assert load_credentials(tmp_path) == {"key_id": "AKIA123", "secret": "wJalr"}
