"""Exploit: the theme cookie is sent over plain HTTP too."""


def test_theme_cookie_is_secure(client):
    response = client.get("/theme/", {"theme": "dark"})
    assert response.cookies["theme"]["secure"] is True
