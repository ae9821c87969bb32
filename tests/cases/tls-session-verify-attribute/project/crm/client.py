"""A small client for the CRM's contacts API, sharing one HTTP session for keep-alive."""

import requests


class CrmClient:
    def __init__(self, base_url="https://crm.example.com/api", api_key="test-key"):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["X-Api-Key"] = api_key
        self.session.verify = False  # the staging server had a self-signed certificate

    def contact(self, contact_id):
        response = self.session.get(f"{self.base_url}/contacts/{contact_id}", timeout=10)
        response.raise_for_status()
        return response.json()

    def search(self, email):
        response = self.session.get(f"{self.base_url}/contacts", params={"email": email}, timeout=10)
        response.raise_for_status()
        return response.json().get("results", [])
