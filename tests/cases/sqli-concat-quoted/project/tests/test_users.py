import sqlite3

import pytest

from shop.users import add_user, get_user_by_email, init_db, is_registered


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    add_user(connection, "Alice", "alice@example.com")
    add_user(connection, "Bob", "bob@example.com", is_admin=True)
    yield connection
    connection.close()


def test_lookup_returns_matching_user(conn):
    rows = get_user_by_email(conn, "alice@example.com")
    assert len(rows) == 1
    assert rows[0][1:] == ("Alice", "alice@example.com")


def test_unknown_email_returns_nothing(conn):
    assert get_user_by_email(conn, "carol@example.com") == []


def test_is_registered(conn):
    assert is_registered(conn, "bob@example.com")
    assert not is_registered(conn, "nobody@example.com")
