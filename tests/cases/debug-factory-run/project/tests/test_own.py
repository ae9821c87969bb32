from blog.app import create_app


def test_home():
    assert create_app().test_client().get("/").get_data(as_text=True) == "blog"
