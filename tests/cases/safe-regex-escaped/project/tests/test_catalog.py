from catalog.app import app


def test_search_is_literal():
    client = app.test_client()
    assert client.get("/products", query_string={"q": "c++"}).get_json() == ["C++ Primer"]
    assert client.get("/products", query_string={"q": ".*"}).get_json() == []
    assert client.get("/products/by-word", query_string={"word": "Python"}).get_json() == ["Learning Python", "Python Cookbook"]


def test_sku_and_tags():
    client = app.test_client()
    assert client.get("/sku", query_string={"code": "ABC-1234"}).get_json() == {"sku": "ABC-1234", "parts": ["ABC", "1234"]}
    assert client.get("/sku", query_string={"code": "x"}).status_code == 400
    assert client.get("/tags", query_string={"tag": ["Go", "C++"]}).get_json() == ["C++ Primer", "The Go Programming Language"]
