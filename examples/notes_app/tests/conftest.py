import pytest

from notesapp import attachments, create_app
from notesapp.db import init_db


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "notes.sqlite"),
            "SECRET_KEY": "test",
            # cheap hashing keeps the suite fast; the default is scrypt
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        init_db()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def register(self, username="alice", password="correct horse"):
        return self._client.post("/register", data={"username": username, "password": password})

    def login(self, username="alice", password="correct horse"):
        return self._client.post("/login", data={"username": username, "password": password})

    def signup(self, username="alice", password="correct horse"):
        assert self.register(username, password).status_code == 201
        assert self.login(username, password).status_code == 200


@pytest.fixture
def auth(client):
    return AuthActions(client)
