import socket

import httpx
import pytest

from ops.health import app

SERVICE = "93.184.215.14"  # a public address: nothing leaves the test, the transport is stubbed


@pytest.fixture
def answers(monkeypatch):
    """Stub httpx's transport: each request gets the status code set in the returned dict."""
    seen = {"status": 200, "urls": []}

    def handle(transport, request):
        seen["urls"].append(str(request.url))
        return httpx.Response(seen["status"], text="ok")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    return seen


def test_service_that_answers_is_up(answers):
    response = app.test_client().post("/services/check", data={"host": SERVICE, "port": "9100"})
    assert response.get_json() == {"host": SERVICE, "up": True, "status": 200}
    assert answers["urls"] == [f"http://{SERVICE}:9100/health"]


def test_service_with_errors_is_down(answers):
    answers["status"] = 503
    response = app.test_client().post("/services/check", data={"host": SERVICE})
    assert response.get_json() == {"host": SERVICE, "up": False, "status": 503}
    assert answers["urls"] == [f"http://{SERVICE}:8000/health"]


def test_unreachable_service_is_down(monkeypatch):
    def refuse(sock, address):
        raise ConnectionRefusedError(111, "connection refused")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    response = app.test_client().post("/services/check", data={"host": SERVICE})
    assert response.get_json() == {"host": SERVICE, "up": False, "error": "ConnectError"}
