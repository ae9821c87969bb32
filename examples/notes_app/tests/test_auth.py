from notesapp.db import get_db


def test_register_and_login(client, auth):
    resp = auth.register()
    assert resp.status_code == 201
    assert resp.get_json()["username"] == "alice"
    assert auth.login().status_code == 200
    assert client.get("/notes").status_code == 200


def test_register_validation(client, auth):
    assert client.post("/register", data={"username": "", "password": "x"}).status_code == 400
    auth.register()
    assert auth.register().status_code == 409


def test_login_rejects_wrong_password(auth):
    auth.register()
    assert auth.login(password="wrong").status_code == 401


def test_logout(client, auth):
    auth.signup()
    assert client.post("/logout").status_code == 200
    assert client.get("/notes").status_code == 401


def test_notes_require_login(client):
    assert client.get("/notes").status_code == 401
    assert client.get("/notes/search", query_string={"q": "x"}).status_code == 401


def test_password_reset_flow(app, client, auth):
    auth.register()
    resp = client.post("/password-reset", data={"username": "alice"})
    assert resp.status_code == 200
    with app.app_context():
        token = get_db().execute("SELECT reset_token FROM users WHERE username = 'alice'").fetchone()[0]
    assert len(token) == 32
    resp = client.post("/password-reset/confirm", data={"token": token, "password": "new secret"})
    assert resp.status_code == 200
    assert auth.login(password="new secret").status_code == 200
    # the token is single use
    resp = client.post("/password-reset/confirm", data={"token": token, "password": "again"})
    assert resp.status_code == 400


def test_password_reset_unknown_user_looks_the_same(client):
    resp = client.post("/password-reset", data={"username": "nobody"})
    assert resp.status_code == 200
