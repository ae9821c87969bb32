import pytest

from drafts.app import app, pack


@pytest.fixture
def client():
    return app.test_client()


def test_a_draft_comes_back(client):
    state = pack({"answers": {"name": "Ada", "city": "London"}})
    resp = client.post("/draft/restore", data={"state": state})
    assert resp.status_code == 200
    assert resp.get_json() == {"step": 3, "answers": {"name": "Ada", "city": "London"}}


def test_answers_are_packed_into_the_next_state(client):
    state = client.post("/draft/answer", data={"name": "Ada"}).get_json()["state"]
    assert client.post("/draft/restore", data={"state": state}).get_json()["step"] == 2
