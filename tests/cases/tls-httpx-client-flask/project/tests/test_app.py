import httpx
import pytest

from weather.app import app


@pytest.fixture
def upstream(monkeypatch):
    seen = []

    def handle(transport, request):
        seen.append(str(request.url))
        return httpx.Response(200, json={"temp_c": 4, "sky": "clear"})

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    return seen


def test_weather_relays_upstream(upstream):
    response = app.test_client().get("/weather?city=Bergen")
    assert response.get_json() == {"city": "Bergen", "report": {"temp_c": 4, "sky": "clear"}}
    assert upstream == ["https://weather-upstream.example.net/v1/current?city=Bergen"]


def test_upstream_down(monkeypatch):
    def refuse(transport, request):
        raise httpx.ConnectError("refused")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    response = app.test_client().get("/weather")
    assert response.status_code == 502
    assert response.get_json() == {"error": "ConnectError"}
