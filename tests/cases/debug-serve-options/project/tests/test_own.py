from notes.wsgi import application


def test_notes():
    assert application.test_client().get("/notes").get_json() == {"notes": []}
