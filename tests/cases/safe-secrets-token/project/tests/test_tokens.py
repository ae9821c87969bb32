import random

from invites.tokens import invite_link, new_invite_token, token_matches


def test_token_shape():
    token = new_invite_token()
    assert len(token) >= 43
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_seeding_random_does_not_matter():
    random.seed(1)
    first = new_invite_token()
    random.seed(1)
    assert new_invite_token() != first


def test_link_and_match():
    token, link = invite_link("core")
    assert link == f"https://example.com/join/core/{token}"
    assert token_matches(token, token)
    assert not token_matches(token, token[::-1] + "x")
