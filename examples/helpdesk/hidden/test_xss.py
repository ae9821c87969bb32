"""Exploit: the search query is reflected into the page as markup."""


def test_query_is_not_markup(client):
    body = client.get("/search/", {"q": "<script>alert(document.cookie)</script>"}).content.decode()
    assert "<script>" not in body, body
