import requests

from sync import remote


class Answer:
    status_code = 201

    def json(self):
        return [{"id": 1}]


def test_pending_orders(monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: Answer())
    assert remote.pending_orders() == [{"id": 1}]
    assert requests.get("https://example.invalid/").json() == [{"id": 1}]


def test_push(monkeypatch):
    monkeypatch.setattr(requests.Session, "post", lambda s, url, **kw: Answer())
    assert remote.Pusher().push({"id": 1}) == 201
