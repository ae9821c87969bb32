from reader.app import app


def test_both_parse():
    client = app.test_client()
    assert client.post("/a", data="<r>1</r>").get_data(as_text=True) == "<r>1</r>"
    assert client.post("/b", data="<r>1</r>").get_data(as_text=True) == "<r>1</r>"
