from fastapi.testclient import TestClient

from shop.main import app
from shop.security import create_access_token


def client_with(token=None):
    client = TestClient(app, base_url="https://testserver")
    if token is not None:
        client.cookies.set("access_token", token)
    return client


def test_customer_sees_own_orders():
    response = client_with(create_access_token("carol")).get("/orders")
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["orders"]] == [1]


def test_staff_sees_all_orders():
    response = client_with(create_access_token("erin", is_staff=True)).get("/orders")
    assert [o["id"] for o in response.json()["orders"]] == [1, 2]


def test_login_sets_cookie_and_orders_follow():
    client = client_with()
    assert client.post("/login", params={"username": "dave"}).status_code == 200
    assert [o["id"] for o in client.get("/orders").json()["orders"]] == [2]


def test_signed_out_and_garbage_are_refused():
    assert client_with().get("/orders").status_code == 401
    assert client_with("garbage").get("/orders").status_code == 401
