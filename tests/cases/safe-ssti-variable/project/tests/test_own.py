from greet.app import app


def test_expression_is_shown_as_text():
    body = app.test_client().get("/hello", query_string={"name": "{{ 7*7 }}"}).get_data(as_text=True)
    assert "49" not in body
