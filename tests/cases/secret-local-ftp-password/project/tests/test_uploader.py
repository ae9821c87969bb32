import ftplib

from backups.uploader import Uploader


class FakeFTP:
    stored = {}

    def __init__(self, host, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def login(self, user, password):
        self.user = user

    def prot_p(self):
        pass

    def storbinary(self, command, stream):
        FakeFTP.stored[(self.host, self.user, command)] = stream.read()


def test_an_archive_is_stored_under_its_name(monkeypatch):
    monkeypatch.setattr(ftplib, "FTP_TLS", FakeFTP)
    assert Uploader().upload("db-2024-05-01.tar.gz", b"archive") == 7
    assert FakeFTP.stored[("storage.example.net", "nightly", "STOR db-2024-05-01.tar.gz")] == b"archive"
