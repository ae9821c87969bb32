import requests

from links.app import app

PAGE = "<html><head><title> Release notes </title></head><body>...</body></html>"


class FakeResponse:
    def __init__(self, status_code, text):
        self.status_code, self.text = status_code, text


def test_preview_shows_the_title_of_the_page(monkeypatch):
    fetched = []
    monkeypatch.setattr(requests, "get", lambda url, **kw: fetched.append((url, kw)) or FakeResponse(200, PAGE))
    response = app.test_client().get("/preview", query_string={"url": "https://93.184.215.14/notes"})
    assert response.get_json() == {"status": 200, "title": "Release notes"}
    assert fetched == [("https://93.184.215.14/notes", {"timeout": 5})]


def test_page_without_title(monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: FakeResponse(404, "not found"))
    response = app.test_client().get("/preview", query_string={"url": "http://93.184.215.14/missing"})
    assert response.get_json() == {"status": 404, "title": None}
