from staff.app import app


def test_lookup_and_injection_attempt():
    client = app.test_client()
    assert client.get("/employee", query_string={"id": "1001"}).get_data(as_text=True) == "Ada"
    assert client.get("/employee", query_string={"id": "' or '1'='1"}).get_data(as_text=True) == "no such employee"
