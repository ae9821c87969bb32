from logview.app import app


def test_filter_by_regular_expression():
    client = app.test_client()
    assert len(client.get("/admin/logs", query_string={"pattern": r"worker-1\b"}).get_json()) == 2
    assert client.get("/admin/logs", query_string={"pattern": "ERROR|WARN"}).status_code == 200
    assert client.get("/admin/logs", query_string={"pattern": "("}).status_code == 400
