import pytest

from accounts.store import UserStore


def test_register_then_login():
    store = UserStore()
    store.register("alice", "s3cret-words")
    assert store.authenticate("alice", "s3cret-words")
    assert not store.authenticate("alice", "wrong-words")
    assert not store.authenticate("bob", "s3cret-words")


def test_password_is_not_stored_in_clear():
    store = UserStore()
    store.register("carol", "correct horse")
    assert "correct horse" not in store.users["carol"]


def test_short_password_refused():
    with pytest.raises(ValueError):
        UserStore().register("dave", "short")
