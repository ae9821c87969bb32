import sqlite3

import pytest

from accounts.repository import create_user, find_user, init_db


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    create_user(connection, "alice", "alice@example.com")
    create_user(connection, "root", "root@example.com", role="admin")
    yield connection
    connection.close()


def test_find_existing_user(conn):
    rows = find_user(conn, "alice")
    assert len(rows) == 1
    assert rows[0][1:] == ("alice", "alice@example.com", "member")


def test_find_admin(conn):
    assert find_user(conn, "root")[0][3] == "admin"


def test_unknown_user(conn):
    assert find_user(conn, "mallory") == []
