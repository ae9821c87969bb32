from shop.app import app


def test_staff_cannot_open_the_admin_page():
    client = app.test_client()
    assert client.post("/login/ana").status_code == 200
    assert client.get("/admin").status_code == 403


def test_the_admin_can():
    client = app.test_client()
    client.post("/login/root")
    assert client.get("/admin").json == {"orders": 42}
