from lang.app import app


def test_choosing_a_language_redirects_home_with_the_cookie():
    client = app.test_client()
    response = client.get("/lang", query_string={"code": "fr"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "lang=fr" in response.headers["Set-Cookie"]
