from fastapi.testclient import TestClient

from greetings.api import app


def test_greeting_in_the_asked_language():
    response = TestClient(app).get("/greet/fr-CA")
    assert response.text == "Bonjour"
    assert response.headers["content-language"] == "fr-CA"
    assert response.headers["cache-control"] == "max-age=60"


def test_unknown_language_falls_back_to_english():
    response = TestClient(app).get("/greet/xx")
    assert response.text == "Hello" and response.headers["content-language"] == "xx"
