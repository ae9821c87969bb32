from signing.release import public_key_pem, sign_artifact


def test_signature_has_the_key_size():
    assert len(sign_artifact(b"wheel bytes")) == 256


def test_signing_is_deterministic_and_depends_on_the_artifact():
    assert sign_artifact(b"wheel bytes") == sign_artifact(b"wheel bytes")
    assert sign_artifact(b"wheel bytes") != sign_artifact(b"other bytes")


def test_public_key_is_pem():
    assert public_key_pem().startswith(b"-----BEGIN PUBLIC KEY-----")
