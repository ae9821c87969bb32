"""Feed reader API: subscribe to an RSS feed by its URL and list the titles of its items."""

import urllib.request
from xml.etree import ElementTree

from fastapi import FastAPI

app = FastAPI()


@app.get("/feeds/import")
def import_feed(url: str, limit: int = 10):
    with urllib.request.urlopen(url, timeout=5) as response:
        channel = ElementTree.fromstring(response.read()).find("channel")
    titles = [item.findtext("title", "") for item in channel.iter("item")][:limit]
    return {"feed": channel.findtext("title", ""), "items": titles}
