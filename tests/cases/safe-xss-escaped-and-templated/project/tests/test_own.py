from greet.app import app


def test_all_escape():
    client = app.test_client()
    for path in ("/a", "/b"):
        assert "<script>" not in client.get(path, query_string={"name": "<script>"}).get_data(as_text=True)
