import requests

from gh.client import GitApiClient


class Answer:
    def raise_for_status(self):
        pass

    def json(self):
        return [{"name": "zeta"}, {"name": "alpha"}, {"id": 3}]


def test_repos_sorted(monkeypatch):
    seen = []

    def get(session, url, **kwargs):
        seen.append((url, kwargs["params"], session.headers.get("Authorization")))
        return Answer()

    monkeypatch.setattr(requests.Session, "get", get)
    assert GitApiClient(token="abc").repos("acme") == ["alpha", "zeta"]
    assert seen == [("https://git.example.com/api/v3/orgs/acme/repos", {"per_page": 100}, "token abc")]
