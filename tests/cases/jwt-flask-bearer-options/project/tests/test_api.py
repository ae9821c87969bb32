from notes_api.app import app, issue_token


def test_token_then_notes():
    client = app.test_client()
    token = client.post("/api/token", json={"username": "bob"}).get_json()["token"]
    response = client.get("/api/notes", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json() == {"owner": "bob", "notes": ["buy milk"]}


def test_unknown_user_gets_no_token():
    assert app.test_client().post("/api/token", json={"username": "mallory"}).status_code == 404


def test_garbage_token_is_refused():
    response = app.test_client().get("/api/notes", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_issued_token_names_the_user():
    response = app.test_client().get("/api/notes", headers={"Authorization": "Bearer " + issue_token("alice")})
    assert response.get_json()["owner"] == "alice"
