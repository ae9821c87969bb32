"""Webhook delivery: events are POSTed as JSON to the URLs subscribers registered."""

import requests

session = requests.Session()  # one connection pool for every delivery
session.headers["User-Agent"] = "shop-webhooks/1.0"


def deliver(url, event, data):
    """POST `event` with `data` to `url`; the status code the subscriber answered."""
    response = session.post(url, json={"event": event, "data": data}, timeout=5)
    return response.status_code
