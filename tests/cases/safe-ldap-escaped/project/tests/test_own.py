from staff.app import app


def test_escaped_lookup():
    client = app.test_client()
    assert client.get("/people", query_string={"name": "bob"}).get_data(as_text=True) == "Bob Builder"
    assert client.get("/people", query_string={"name": "*"}).get_data(as_text=True) == ""
