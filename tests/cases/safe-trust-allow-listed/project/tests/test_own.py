from portal.app import app


def test_unknown_roles_are_refused():
    assert app.test_client().get("/role", query_string={"role": "admin"}).status_code == 400
