import pytest

from notes.app import NOTES, USERS, app


@pytest.fixture
def client():
    USERS.clear()
    NOTES.clear()
    app.config.update(TESTING=True)
    return app.test_client()


def test_register_then_login(client):
    assert client.post("/register", data={"username": "ann", "password": "long enough"}).status_code == 201
    ok = client.post("/login", data={"username": "ann", "password": "long enough"})
    assert ok.status_code == 200 and ok.get_json() == {"user": "ann", "notes": 0}
    assert client.post("/login", data={"username": "ann", "password": "wrong one"}).status_code == 401
    assert client.post("/login", data={"username": "nobody", "password": "long enough"}).status_code == 401


def test_register_validates(client):
    assert client.post("/register", data={"username": "ann", "password": "short"}).status_code == 400
    client.post("/register", data={"username": "ann", "password": "long enough"})
    assert client.post("/register", data={"username": "ann", "password": "other one"}).status_code == 409
