from members.app import app


def test_the_cookie_holds_the_user():
    response = app.test_client().get("/remember", query_string={"user": "ada"})
    assert response.get_data(as_text=True) == "remembered"
    assert response.headers["Set-Cookie"].startswith("remember_me=ada;")
