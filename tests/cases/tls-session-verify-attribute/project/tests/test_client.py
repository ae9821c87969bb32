import requests

from crm.client import CrmClient


class Answer:
    def __init__(self, payload):
        self.payload = payload

    def raise_for_status(self):
        pass

    def json(self):
        return self.payload


def test_contact(monkeypatch):
    seen = []

    def get(session, url, **kwargs):
        seen.append((url, session.headers["X-Api-Key"]))
        return Answer({"id": 3, "email": "ada@example.com"})

    monkeypatch.setattr(requests.Session, "get", get)
    client = CrmClient("https://crm.example.com/api/", api_key="k1")
    assert client.contact(3) == {"id": 3, "email": "ada@example.com"}
    assert seen == [("https://crm.example.com/api/contacts/3", "k1")]


def test_search(monkeypatch):
    monkeypatch.setattr(requests.Session, "get", lambda s, url, **kw: Answer({"results": [{"id": 1}]}))
    assert CrmClient().search("ada@example.com") == [{"id": 1}]
