from website.app import app


def test_index():
    assert app.test_client().get("/").get_data(as_text=True) == "hello"
