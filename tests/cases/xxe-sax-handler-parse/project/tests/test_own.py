from feeds.reader import titles


def test_titles_in_order():
    assert titles("<feed><entry><title>One</title></entry><entry><title>Two</title></entry></feed>") == ["One", "Two"]
