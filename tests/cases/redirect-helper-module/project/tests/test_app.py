from shop.views import CART, app


def test_adding_returns_to_the_product_page():
    CART.clear()
    response = app.test_client().post("/cart/add", query_string={"back": "/products/42"}, data={"sku": "A-1"})
    assert response.status_code == 303 and response.headers["Location"] == "/products/42"
    assert CART == ["A-1"]


def test_without_back_goes_home():
    response = app.test_client().post("/cart/add", data={"sku": "B-2"})
    assert response.headers["Location"] == "/"
