from shop.app import create_app


def test_items_are_kept_in_the_session():
    client = create_app().test_client()
    client.post("/cart/add/kettle")
    assert client.post("/cart/add/mug").get_json() == {"cart": ["kettle", "mug"]}
