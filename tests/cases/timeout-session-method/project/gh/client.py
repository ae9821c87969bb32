"""A thin client for a Git hosting API: list an organisation's repositories."""

import requests


class GitApiClient:
    def __init__(self, base_url="https://git.example.com/api/v3", token=None):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"token {token}"

    def repos(self, org):
        response = self.session.get(f"{self.base_url}/orgs/{org}/repos", params={"per_page": 100})
        response.raise_for_status()
        return sorted(repo["name"] for repo in response.json() if isinstance(repo, dict) and "name" in repo)
