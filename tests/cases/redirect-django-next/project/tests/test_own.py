from django.test import Client


def test_logout_returns_to_the_page_asked_for():
    response = Client().get("/logout/", {"next": "/account/orders/"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/orders/"
