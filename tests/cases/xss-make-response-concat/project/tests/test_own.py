from search.views import app


def test_results_page():
    body = app.test_client().post("/search", data={"q": "shoes"}).get_data(as_text=True)
    assert body == "<h1>Results for shoes</h1><p>2 found</p>"
