from staff.app import app


def test_lookup_by_uid():
    assert app.test_client().get("/people", query_string={"name": "bob"}).get_data(as_text=True) == "Bob Builder"
    assert app.test_client().get("/people", query_string={"name": "carol"}).get_data(as_text=True) == ""
