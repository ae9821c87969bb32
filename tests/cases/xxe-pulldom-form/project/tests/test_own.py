from notes.app import app


def test_preview_shows_the_text():
    body = app.test_client().post("/preview", data={"note": "<note>Buy <b>milk</b></note>"}).get_json()
    assert body == {"preview": "Buy milk"}
