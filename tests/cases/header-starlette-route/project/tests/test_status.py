from starlette.testclient import TestClient

from tracker.app import app


def test_the_request_id_is_echoed():
    response = TestClient(app).get("/status", params={"request_id": "abc-123"})
    assert response.json() == {"status": "ok"} and response.headers["x-request-id"] == "abc-123"


def test_a_request_id_is_made_when_none_is_given():
    assert len(TestClient(app).get("/status").headers["x-request-id"]) == 32
