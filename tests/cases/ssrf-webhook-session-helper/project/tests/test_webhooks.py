import pytest
import requests

from hooks.views import WEBHOOKS, app

HOOK = "https://93.184.215.14/hooks/shop"  # a public address: the session is stubbed, nothing leaves the test


class Subscriber:
    """Stands in for the subscriber's server: records each delivery and answers with `status`."""

    def __init__(self):
        self.status = 200
        self.received = []

    def post(self, session, url, **kwargs):
        self.received.append((url, kwargs["json"]))
        return type("Answer", (), {"status_code": self.status})()


@pytest.fixture
def subscriber(monkeypatch):
    WEBHOOKS.clear()
    fake = Subscriber()
    monkeypatch.setattr(requests.Session, "post", lambda session, url, **kw: fake.post(session, url, **kw))
    return fake


def test_registering_pings_the_webhook(subscriber):
    response = app.test_client().post("/webhooks", json={"url": HOOK})
    assert response.status_code == 201 and response.get_json() == {"id": 1, "url": HOOK}
    assert subscriber.received == [(HOOK, {"event": "ping", "data": {"hook": 1}})]


def test_a_webhook_that_fails_the_ping_is_not_kept(subscriber):
    subscriber.status = 404
    response = app.test_client().post("/webhooks", json={"url": HOOK})
    assert response.status_code == 400 and WEBHOOKS == []


def test_orders_are_delivered_to_registered_webhooks(subscriber):
    client = app.test_client()
    client.post("/webhooks", json={"url": HOOK})
    response = client.post("/orders", json={"sku": "A-1"})
    assert response.get_json() == {"order": {"sku": "A-1"}, "delivered": 1}
    assert subscriber.received[-1] == (HOOK, {"event": "order.created", "data": {"sku": "A-1"}})
