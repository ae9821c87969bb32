from billing.invoices import parse_invoice


def test_invoice_fields():
    doc = b"<invoice><customer>ACME</customer><total>12.50</total></invoice>"
    assert parse_invoice(doc) == {"customer": "ACME", "total": "12.50"}


def test_internal_entities_still_expand():
    doc = b'<!DOCTYPE invoice [<!ENTITY co "ACME Corp">]><invoice><customer>&co;</customer><total>1</total></invoice>'
    assert parse_invoice(doc)["customer"] == "ACME Corp"
