from todo.app import app


def test_preview_of_an_item():
    body = app.test_client().post("/preview", json={"item": "Buy milk"}).get_data(as_text=True)
    assert body == "<ul><li>Buy milk</li></ul>"
