import sqlite3

import pytest

from contacts.store import add_contact, find_contact, init_db, search_contacts


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    add_contact(connection, "Alice Liddell", "555-0100")
    add_contact(connection, "Bob O'Brien", "555-0199")
    yield connection
    connection.close()


def test_find_contact(conn):
    assert [row[1:] for row in find_contact(conn, "Alice Liddell")] == [("Alice Liddell", "555-0100")]


def test_quotes_are_just_data(conn):
    assert find_contact(conn, "Bob O'Brien")[0][2] == "555-0199"
    assert find_contact(conn, "' OR '1'='1") == []


def test_search(conn):
    assert search_contacts(conn, "li") == ["Alice Liddell"]
    assert search_contacts(conn, "I") == ["Alice Liddell", "Bob O'Brien"]
