from members.db import add_member, connect, login


def test_add_then_login():
    conn = connect()
    add_member(conn, "ada", "analytical")
    assert login(conn, "ada", "analytical")
    assert not login(conn, "ada", "difference")
