from urllib.parse import parse_qs, urlsplit

from auth.reset import ALPHABET, build_reset_link, generate_reset_token


def test_token_length_and_alphabet():
    token = generate_reset_token()
    assert len(token) == 32
    assert set(token) <= set(ALPHABET)


def test_custom_length():
    assert len(generate_reset_token(8)) == 8


def test_link_carries_token():
    token, link = build_reset_link("alice@example.com")
    query = parse_qs(urlsplit(link).query)
    assert query == {"email": ["alice@example.com"], "token": [token]}
