from types import SimpleNamespace

from shop.views import set_language


def test_language_is_remembered():
    request = SimpleNamespace(GET={"lang": "fr"}, session={})
    assert set_language(request) == "fr" and request.session == {"lang": "fr"}
