import requests

from billing import invoices


class FakeResponse:
    def __init__(self, payload):
        self.payload = payload

    def raise_for_status(self):
        pass

    def json(self):
        return self.payload


def test_fetch_invoice_shapes_the_answer(monkeypatch):
    calls = []

    def fake_get(url, **kwargs):
        calls.append(url)
        return FakeResponse({"number": "INV-7", "amount_due": 1250, "status": "paid", "extra": 1})

    monkeypatch.setattr(requests, "get", fake_get)
    assert invoices.fetch_invoice("in_7") == {"number": "INV-7", "amount_due": 1250, "status": "paid"}
    assert calls == ["https://api.billing-provider.example/v2/invoices/in_7"]


def test_total_due(monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: FakeResponse({"amount_due": 100}))
    assert invoices.total_due(["a", "b", "c"]) == 300
