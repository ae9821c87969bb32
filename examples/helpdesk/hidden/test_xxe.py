"""Exploit: an external entity reads a file of the server into the imported subjects."""


def test_external_entity_is_not_read(client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-HELPDESK")
    xml = (f'<!DOCTYPE tickets [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
           "<tickets><ticket><subject>&x;</subject></ticket></tickets>")
    try:
        response = client.post("/tickets/import/", xml, content_type="application/xml")
    except Exception:  # the document refused: nothing was read
        return
    assert "TOP-SECRET-HELPDESK" not in response.content.decode()
