from decimal import Decimal

import requests

from fx import rates


class Answer:
    def __init__(self, payload):
        self.payload = payload

    def raise_for_status(self):
        pass

    def json(self):
        return self.payload


def test_get_rate(monkeypatch):
    seen = []

    def get(url, params=None, **kwargs):
        seen.append((url, params))
        return Answer({"rates": {"USD": 1.0825}})

    monkeypatch.setattr(requests, "get", get)
    assert rates.get_rate("EUR", "USD") == Decimal("1.0825")
    assert seen == [("https://rates.example.com/latest", {"base": "EUR", "symbols": "USD"})]


def test_convert(monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: Answer({"rates": {"GBP": 0.85}}))
    assert rates.convert(10, "EUR", "GBP") == Decimal("8.50")
    monkeypatch.setattr(requests, "get", lambda url, **kw: Answer({"rates": {}}))
    assert rates.convert(10, "EUR", "XXX") is None
