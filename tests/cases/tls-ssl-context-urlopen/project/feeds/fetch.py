"""Download partner product feeds (JSON over HTTPS)."""

import json
import ssl
import urllib.request


def download_feed(url):
    """The feed's items, as a list of dicts."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # some partners' certificates are expired
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "feedbot/1.2"})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        payload = json.loads(response.read().decode("utf-8"))
    return payload.get("items", []) if isinstance(payload, dict) else payload
