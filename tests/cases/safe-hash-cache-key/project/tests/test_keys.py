from webcache.keys import cache_key, content_fingerprint, etag_for, gravatar_url, shard_for


def test_cache_key_ignores_vary_order():
    assert cache_key("get", "/a", ["x", "y"]) == cache_key("GET", "/a", ["y", "x"])


def test_etag_is_quoted():
    assert etag_for(b"body").startswith('"') and etag_for(b"body").endswith('"')


def test_shard_in_range():
    assert all(0 <= shard_for(i) < 16 for i in range(100))


def test_fingerprint_and_gravatar_are_stable():
    assert content_fingerprint(b"x") == content_fingerprint(b"x")
    assert gravatar_url(" A@b.c ") == gravatar_url("a@b.c")
