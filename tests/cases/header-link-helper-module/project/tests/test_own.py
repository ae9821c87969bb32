from fastapi.testclient import TestClient

from shop.api import app
from shop.links import next_link


def test_first_page_links_to_the_second():
    response = TestClient(app).get("/items", params={"sort": "price"})
    assert [item["name"] for item in response.json()] == ["kiwi", "apple"]
    assert response.headers["link"] == '</items?sort=price&page=2>; rel="next"'


def test_later_page():
    response = TestClient(app).get("/items", params={"page": 2})
    assert [item["name"] for item in response.json()] == ["kiwi", "pear"]
    assert response.headers["link"] == '</items?sort=name&page=3>; rel="next"'


def test_next_link():
    assert next_link("/a", "name", 4) == '</a?sort=name&page=5>; rel="next"'
