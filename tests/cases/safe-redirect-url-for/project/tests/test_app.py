from finder.app import app


def test_go_redirects_to_the_search_page_with_the_query():
    response = app.test_client().get("/go", query_string={"q": "//evil.example"})
    assert response.headers["Location"].startswith("/search?q=")
