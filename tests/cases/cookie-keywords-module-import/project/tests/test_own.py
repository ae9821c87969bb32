from consent.app import app


def test_consent_is_remembered_for_a_year():
    response = app.test_client().post("/consent")
    assert response.get_data(as_text=True) == "thanks"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("consent=yes;") and "Max-Age=31536000" in cookie
