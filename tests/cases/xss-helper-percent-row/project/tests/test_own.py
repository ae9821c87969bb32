from report.views import app


def test_lookup_table():
    body = app.test_client().get("/lookup", query_string={"sku": "A-1"}).get_data(as_text=True)
    assert body == "<table><tr><th>SKU</th><td>A-1</td></tr><tr><th>Status</th><td>in stock</td></tr></table>"
