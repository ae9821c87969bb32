"""Keys for a response cache: short, stable names for things, not secrets."""

import hashlib
from hashlib import sha1


def cache_key(method, url, vary=()):
    """The cache entry a request is stored under."""
    text = "|".join([method.upper(), url, *sorted(vary)])
    return "resp:" + hashlib.md5(text.encode()).hexdigest()


def etag_for(body: bytes) -> str:
    return '"' + sha1(body).hexdigest() + '"'


def shard_for(user_id, shards=16):
    """Which of the cache shards holds a user's entries."""
    return int(hashlib.md5(str(user_id).encode()).hexdigest(), 16) % shards


def content_fingerprint(data: bytes) -> str:
    return hashlib.new("md5", data, usedforsecurity=False).hexdigest()


def gravatar_url(email):
    digest = hashlib.md5(email.strip().lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}"
