from intranet.app import app


def test_no_assertion_is_refused():
    assert app.test_client().get("/audit-log").status_code == 401


def test_malformed_assertion_is_refused():
    response = app.test_client().get("/audit-log", headers={"X-Goog-Iap-Jwt-Assertion": "junk"})
    assert response.status_code == 401
