from sharing.app import app


def test_share_and_open():
    client = app.test_client()
    link = client.get("/share", query_string={"doc": "reports/q3-summary.pdf"}).get_json()["link"]
    assert client.get(link).get_json() == {"title": "Q3 report"}


def test_unknown_document():
    client = app.test_client()
    assert client.get("/share", query_string={"doc": "nope"}).status_code == 404


def test_bad_token():
    assert app.test_client().get("/s/AAAA").status_code == 404
