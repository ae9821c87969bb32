from cart.app import app


def test_items_are_saved():
    assert app.test_client().post("/save", json={"items": ["pen"]}).get_json() == {"items": ["pen"]}
