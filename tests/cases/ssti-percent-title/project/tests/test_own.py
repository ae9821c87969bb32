from notice.app import app


def test_notice_page():
    body = app.test_client().get("/notice", query_string={"title": "Maintenance"}).get_data(as_text=True)
    assert body == "<h2>Maintenance</h2><p>Back soon.</p>"
