import time

from apiclient.auth import TokenCache


def test_token_round_trip(tmp_path):
    cache = TokenCache(str(tmp_path))
    assert cache.load() is None
    cache.save("abc123", time.time() + 3600)
    assert cache.load() == "abc123"


def test_expired_token_is_not_used(tmp_path):
    cache = TokenCache(str(tmp_path))
    cache.save("old", 1000)
    assert cache.load(now=2000) is None
