import io
import urllib.error
import urllib.request

from statuspage.app import app


class Body(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_status_reports_indicator(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, **kw: Body(b'{"status": {"indicator": "none"}}'))
    assert app.test_client().get("/status").get_json() == {"payments": "none"}


def test_status_unreachable(monkeypatch):
    def fail(url, **kw):
        raise urllib.error.URLError("down")

    monkeypatch.setattr(urllib.request, "urlopen", fail)
    assert app.test_client().get("/status").get_json() == {"payments": "unreachable"}
