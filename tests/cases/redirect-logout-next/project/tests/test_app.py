from portal.app import app


def test_logout_goes_back_to_the_page_asked_for():
    response = app.test_client().get("/logout", query_string={"next": "/reports?year=2026"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports?year=2026"


def test_logout_defaults_to_home():
    response = app.test_client().get("/logout")
    assert response.headers["Location"] == "/"
