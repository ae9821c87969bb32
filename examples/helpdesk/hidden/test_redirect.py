"""Exploit: signing out sends the user to another site."""


def test_logout_stays_on_the_site(client):
    for target in ("//evil.example/login", "https://evil.example/login", "/\\evil.example"):
        location = client.get("/logout/", {"next": target}).headers.get("Location", "")
        assert "evil.example" not in location, location
