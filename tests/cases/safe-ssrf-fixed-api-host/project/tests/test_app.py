import pytest
import requests

from directory.app import app


class Answer:
    def __init__(self, status_code, data):
        self.status_code, self._data = status_code, data

    def json(self):
        return self._data


@pytest.fixture
def hr_api(monkeypatch):
    """Stub the HR service: record each request and answer from a table."""
    asked = []

    def get(url, params=None, timeout=None):
        asked.append((url, params))
        if url.endswith("/search"):
            return Answer(200, {"results": [{"id": "42", "name": "Ada"}]})
        return Answer(200, {"id": "42", "name": "Ada"}) if url.endswith("/users/42") else Answer(404, {"error": "no such user"})

    monkeypatch.setattr(requests, "get", get)
    return asked


def test_person_is_read_from_the_hr_api(hr_api):
    response = app.test_client().get("/people/42")
    assert response.status_code == 200 and response.get_json() == {"id": "42", "name": "Ada"}
    assert hr_api == [("https://hr.example.com/api/v2/users/42", None)]


def test_an_id_is_quoted_into_the_users_path(hr_api):
    response = app.test_client().get("/people/7%3Fadmin=1")
    assert response.status_code == 404
    assert hr_api == [("https://hr.example.com/api/v2/users/7%3Fadmin%3D1", None)]


def test_search_passes_the_query_as_a_parameter(hr_api):
    response = app.test_client().get("/people", query_string={"q": "@169.254.169.254/"})
    assert response.get_json() == {"results": [{"id": "42", "name": "Ada"}]}
    assert hr_api == [("https://hr.example.com/api/v2/search", {"q": "@169.254.169.254/", "limit": 20})]
