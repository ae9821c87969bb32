import io
import urllib.request

from fastapi.testclient import TestClient

from feeds.api import app

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Changelog</title>
<item><title>1.2 released</title></item><item><title>1.1 released</title></item><item><title>1.0 released</title></item>
</channel></rss>"""


def serve_feed(monkeypatch):
    """Stub the network: urlopen answers every URL with FEED and remembers what was asked."""
    asked = []

    def urlopen(url, timeout=None):
        asked.append((url, timeout))
        return io.BytesIO(FEED)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return asked


def test_import_lists_the_titles_of_the_items(monkeypatch):
    asked = serve_feed(monkeypatch)
    response = TestClient(app).get("/feeds/import", params={"url": "https://93.184.215.14/changelog.rss"})
    assert response.json() == {"feed": "Changelog", "items": ["1.2 released", "1.1 released", "1.0 released"]}
    assert asked == [("https://93.184.215.14/changelog.rss", 5)]


def test_limit_keeps_the_newest_items(monkeypatch):
    serve_feed(monkeypatch)
    response = TestClient(app).get("/feeds/import", params={"url": "http://93.184.215.14/rss", "limit": 1})
    assert response.json()["items"] == ["1.2 released"]


def test_url_is_required():
    assert TestClient(app).get("/feeds/import").status_code == 422
