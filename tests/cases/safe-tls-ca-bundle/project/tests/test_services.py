import requests

from internal import services


class Answer:
    def raise_for_status(self):
        pass

    def json(self):
        return {"sku": "X", "stock": 3}


def test_inventory_uses_the_corporate_ca(monkeypatch):
    seen = {}

    def get(url, **kwargs):
        seen.update(kwargs, url=url)
        return Answer()

    monkeypatch.setattr(requests, "get", get)
    assert services.inventory("X") == {"sku": "X", "stock": 3}
    assert seen["verify"] == services.CA_BUNDLE


def test_fixture_server_without_verification(monkeypatch):
    monkeypatch.setattr(requests, "get", lambda url, **kw: Answer())
    assert requests.get("https://localhost:8443/", verify=False).json()["stock"] == 3


def test_upstream_client_verifies():
    with services.upstream_client() as client:
        assert client is not None
