from website.app import app


def test_app_exists():
    assert app.name == "website.app"
