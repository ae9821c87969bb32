from fastapi.testclient import TestClient

from auth.api import app


def test_callback_returns_to_the_page():
    response = TestClient(app, follow_redirects=False).get("/callback", params={"next": "/dashboard"})
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
