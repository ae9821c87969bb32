from shop.app import CARTS, app


def test_starting_a_cart_sets_its_cookie():
    client = app.test_client()
    assert client.post("/cart/start").status_code == 200
    assert CARTS[client.get_cookie("cart_session").value] == []
    assert client.get_cookie("csrf_token") is not None
