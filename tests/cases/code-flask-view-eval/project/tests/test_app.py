import pytest

from shop.app import app


@pytest.fixture
def client():
    return app.test_client()


def test_list_items(client):
    resp = client.get("/items", query_string={"ids": "[1, 3]"})
    assert resp.status_code == 200
    assert [item["name"] for item in resp.get_json()] == ["Notebook", "Backpack"]


def test_show_item(client):
    assert client.get("/items/2").get_json() == {"id": 2, "name": "Pencil", "price": 0.8}


def test_unknown_item(client):
    assert client.get("/items/99").status_code == 404
    assert client.get("/items", query_string={"ids": "[99]"}).status_code == 404
