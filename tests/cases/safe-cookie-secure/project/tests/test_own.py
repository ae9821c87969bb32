from prefs.app import app


def test_cookies_are_secure():
    cookies = app.test_client().get("/theme").headers.getlist("Set-Cookie")
    assert len(cookies) == 2 and all("Secure" in c for c in cookies)
