from blog.app import create_app
from blog.config import Config, TestingConfig


def test_a_reader_cannot_publish():
    client = create_app(TestingConfig).test_client()
    client.post("/login/sam")
    assert client.post("/posts/3/publish").status_code == 403


def test_an_editor_can():
    client = create_app(TestingConfig).test_client()
    client.post("/login/mara")
    assert client.post("/posts/3/publish").json == {"published": 3}


def test_the_default_config_lists_ten_posts():
    assert Config.POSTS_PER_PAGE == 10
