from board.app import app


def test_preview_quotes_the_comment():
    body = app.test_client().post("/preview", data={"comment": "Nice post"}).get_data(as_text=True)
    assert body == "<blockquote>Nice post</blockquote>"
