import base64
import pickle

from webauth.cookies import dump_session, load_session


def test_a_session_round_trips():
    assert load_session(dump_session({"user": "ada", "cart": [1, 2]})) == {"user": "ada", "cart": [1, 2]}


def test_a_forged_cookie_is_ignored():
    forged = base64.urlsafe_b64encode(b"x" * 32 + pickle.dumps({"user": "admin"})).decode("ascii")
    assert load_session(forged) == {}
