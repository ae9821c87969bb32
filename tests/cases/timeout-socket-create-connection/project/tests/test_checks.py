import socket

from health import checks


class FakeConn:
    def __init__(self, answer):
        self.answer = answer
        self.sent = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def sendall(self, data):
        self.sent += data

    def recv(self, size):
        return self.answer


def test_redis_alive(monkeypatch):
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **kw: FakeConn(b"+PONG\r\n"))
    assert checks.redis_alive() is True


def test_redis_down(monkeypatch):
    def refuse(address, *a, **kw):
        raise ConnectionRefusedError(111, "refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    assert checks.redis_alive() is False
    assert checks.summary({"redis": checks.redis_alive}) == {"redis": "down"}
