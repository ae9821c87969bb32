from profiles.app import app


def test_the_preview_shows_the_name_and_bio():
    page = app.test_client().post("/profile/preview", data={"name": "Ada", "bio": "Mathematician & writer"}).get_data(as_text=True)
    assert "<h1>Ada</h1>" in page and "Mathematician" in page
