import string

from webapp.sessions import SessionStore


def test_session_id_is_32_hex_digits():
    session_id = SessionStore().new_session_id()
    assert len(session_id) == 32
    assert set(session_id) <= set(string.hexdigits)


def test_create_and_get():
    store = SessionStore()
    session_id = store.create({"user": "alice"})
    assert store.get(session_id) == {"user": "alice"}
    assert store.get("0" * 32) is None


def test_expired_session():
    store = SessionStore(ttl_seconds=-1)
    session_id = store.create({"user": "alice"})
    assert store.get(session_id) is None
