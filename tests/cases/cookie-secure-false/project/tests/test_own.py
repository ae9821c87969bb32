from portal.views import app


def test_login_sets_an_http_only_hint():
    response = app.test_client().post("/login")
    assert response.get_json() == {"ok": True}
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session_hint=") and "HttpOnly" in cookie
