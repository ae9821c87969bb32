from greet.app import app


def test_greeting_names_the_user_and_the_page():
    body = app.test_client().get("/hello", query_string={"name": "Ada"}).get_data(as_text=True)
    assert body == "<h1>Hello Ada!</h1><p>/hello</p>"
