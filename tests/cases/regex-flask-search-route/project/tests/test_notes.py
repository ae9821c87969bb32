from notebook.app import app


def test_search_finds_a_word_in_any_case():
    client = app.test_client()
    assert client.get("/notes/search", query_string={"q": "report"}).get_json() == [
        {"id": 2, "title": "Quarterly report draft"}
    ]
    assert client.get("/notes/search", query_string={"q": "WEEKEND"}).get_json()[0]["id"] == 1


def test_empty_search_finds_nothing():
    assert app.test_client().get("/notes/search").get_json() == []
