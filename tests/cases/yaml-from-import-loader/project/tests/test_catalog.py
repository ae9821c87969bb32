from i18n.catalog import load_catalog, translate

CATALOG_FR = """
greeting: "Bonjour {name} !"
farewell: Au revoir
items: 3
"""


def test_load_catalog_stringifies_values():
    catalog = load_catalog(CATALOG_FR)
    assert catalog == {"greeting": "Bonjour {name} !", "farewell": "Au revoir", "items": "3"}


def test_translate():
    catalog = load_catalog(CATALOG_FR)
    assert translate(catalog, "greeting", name="Ada") == "Bonjour Ada !"
    assert translate(catalog, "missing.id") == "missing.id"


def test_empty_catalog():
    assert load_catalog("") == {}
