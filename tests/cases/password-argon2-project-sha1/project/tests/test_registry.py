import sqlite3

import pytest

from members.registry import Registry


def test_sign_up_then_sign_in():
    reg = Registry()
    reg.sign_up("Ann@Example.org", "tennis-on-tuesday")
    assert reg.sign_in("ann@example.org", "tennis-on-tuesday")
    assert not reg.sign_in("ann@example.org", "tennis-on-monday")
    assert not reg.sign_in("bo@example.org", "tennis-on-tuesday")


def test_email_taken_once():
    reg = Registry()
    reg.sign_up("cy@example.org", "first-password")
    with pytest.raises(sqlite3.IntegrityError):
        reg.sign_up("CY@example.org", "second-password")


def test_digest_is_not_the_password():
    reg = Registry()
    reg.sign_up("di@example.org", "plain words here")
    assert "plain words here" not in reg.stored_digest("di@example.org")


def test_an_api_token_matches_only_itself():
    from members.api_tokens import store_token, token_matches

    stored = store_token("tok-123")
    assert token_matches("tok-123", stored) and not token_matches("tok-124", stored)
