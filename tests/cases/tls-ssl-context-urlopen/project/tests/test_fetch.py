import io
import json
import urllib.request

from feeds import fetch


class Body(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_items_of_a_feed(monkeypatch):
    seen = []

    def fake_urlopen(request, **kwargs):
        seen.append((request.full_url, request.get_header("Accept"), kwargs["timeout"]))
        return Body(json.dumps({"items": [{"sku": "A1"}, {"sku": "B2"}]}).encode())

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert fetch.download_feed("https://partner.example/feed.json") == [{"sku": "A1"}, {"sku": "B2"}]
    assert seen == [("https://partner.example/feed.json", "application/json", 30)]


def test_a_feed_that_is_a_list(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, **kw: Body(b'[{"sku": "C3"}]'))
    assert fetch.download_feed("https://partner.example/list.json") == [{"sku": "C3"}]
