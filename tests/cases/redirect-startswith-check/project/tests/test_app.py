from links.app import app


def test_a_path_is_followed():
    response = app.test_client().get("/continue", query_string={"to": "/docs/intro"})
    assert response.headers["Location"] == "/docs/intro"


def test_an_absolute_url_is_refused():
    response = app.test_client().get("/continue", query_string={"to": "https://elsewhere.example"})
    assert response.headers["Location"] == "/"
