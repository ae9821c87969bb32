import os

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from devcerts.issue import issue_dev_certificate


def test_the_key_matches_the_certificate(tmp_path):
    cert_path, key_path = issue_dev_certificate(str(tmp_path), "app.test")
    certificate = x509.load_pem_x509_certificate(open(cert_path, "rb").read())
    key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
    assert certificate.public_key().public_numbers() == key.public_key().public_numbers()
    assert certificate.subject.rfc4514_string() == "CN=app.test"


def test_two_hosts_share_the_folders(tmp_path):
    issue_dev_certificate(str(tmp_path), "a.test")
    issue_dev_certificate(str(tmp_path), "b.test")
    assert sorted(os.listdir(tmp_path / "private")) == ["a.test.key", "b.test.key"]
    assert sorted(os.listdir(tmp_path / "certs")) == ["a.test.pem", "b.test.pem"]
