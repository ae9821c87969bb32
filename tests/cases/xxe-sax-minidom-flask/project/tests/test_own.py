from importer.app import app


def test_import_echoes_the_document():
    body = app.test_client().post("/import", data="<order><item>2</item></order>").get_data(as_text=True)
    assert body == "<order><item>2</item></order>"
