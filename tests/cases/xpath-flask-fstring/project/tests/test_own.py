from staff.app import app


def test_lookup_by_id():
    assert app.test_client().get("/employee", query_string={"id": "1002"}).get_data(as_text=True) == "Grace"


def test_unknown_id():
    assert app.test_client().get("/employee", query_string={"id": "9"}).get_data(as_text=True) == "no such employee"
