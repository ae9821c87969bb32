from greet.app import app


def test_greeting():
    body = app.test_client().get("/hello", query_string={"name": "Ada"}).get_data(as_text=True)
    assert body == "<h1>Hello</h1><p>Welcome back, Ada!</p>"
