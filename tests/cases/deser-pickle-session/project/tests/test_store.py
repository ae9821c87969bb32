from sessions.store import dump_session, load_session


def test_a_session_round_trips():
    data = {"user": "ada", "cart": [1, 2, 3]}
    assert load_session(dump_session(data)) == data
