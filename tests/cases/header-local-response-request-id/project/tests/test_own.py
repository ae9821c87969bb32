from starlette.testclient import TestClient

from tracker.app import app


def test_status_echoes_the_request_id():
    response = TestClient(app).get("/status", params={"request_id": "abc-123"})
    assert response.json() == {"status": "ok"}
    assert response.headers["x-request-id"] == "abc-123"


def test_status_makes_up_a_request_id():
    response = TestClient(app).get("/status")
    assert len(response.headers["x-request-id"]) == 32
