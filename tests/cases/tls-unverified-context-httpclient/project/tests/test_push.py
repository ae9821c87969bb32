import http.client
import io

from metrics.push import MetricsPusher


class FakeConnection:
    sent = []

    def __init__(self, host, port=None, **kwargs):
        self.host = host

    def request(self, method, path, body=None, headers=None):
        FakeConnection.sent.append((self.host, method, path, body, headers["Authorization"]))

    def getresponse(self):
        return io.BytesIO(b'{"accepted": 2}')

    def close(self):
        pass


def test_push_sends_counters(monkeypatch):
    monkeypatch.setattr(http.client, "HTTPSConnection", FakeConnection)
    pusher = MetricsPusher(token="t0k")
    pusher.count("logins")
    pusher.count("logins", 2)
    assert pusher.push() == {"accepted": 2}
    assert FakeConnection.sent[-1] == ("metrics.example.org", "POST", "/v1/push", '{"counters": {"logins": 3}}', "Bearer t0k")
