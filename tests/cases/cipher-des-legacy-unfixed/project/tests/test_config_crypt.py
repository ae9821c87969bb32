from legacy.config_crypt import decrypt_setting, encrypt_setting


def test_round_trip():
    assert decrypt_setting(encrypt_setting("hunter2")) == "hunter2"


def test_random_iv():
    assert encrypt_setting("same") != encrypt_setting("same")
