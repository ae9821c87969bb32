from shop.views import app


def test_total_with_currency():
    body = app.test_client().get("/total", query_string={"amount": "12.50"}).get_data(as_text=True)
    assert body == "<p>Total: 12.50 EUR</p>"
