from lxml import etree


def parse_invoice(document: bytes) -> dict:
    """The customer and the total of an invoice document."""
    parser = etree.XMLParser(resolve_entities=True, remove_blank_text=True)
    root = etree.fromstring(document, parser)
    return {"customer": root.findtext("customer"), "total": root.findtext("total")}
