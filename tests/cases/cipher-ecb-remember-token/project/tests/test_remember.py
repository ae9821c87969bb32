from tokens.remember import open_token, recall, remember, seal_token


def test_round_trip():
    assert open_token(seal_token("hello, world")) == "hello, world"


def test_unicode_round_trip():
    assert open_token(seal_token("naïve café")) == "naïve café"


def test_remember_recall():
    assert recall(remember(42)) == 42


def test_token_is_text():
    token = seal_token("secret-payload")
    assert isinstance(token, str) and "secret-payload" not in token
