from fastapi.testclient import TestClient

from profiles.api import app


def test_profile_page():
    body = TestClient(app).get("/profiles/ada").text
    assert body == "<h1>ada's profile</h1><p>No posts yet.</p>"
