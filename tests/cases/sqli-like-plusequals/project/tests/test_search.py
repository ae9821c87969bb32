import sqlite3

import pytest

from notes.search import add_note, init_db, search_notes


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    add_note(connection, "alice", "Shopping list")
    add_note(connection, "alice", "Holiday plans")
    add_note(connection, "bob", "Shopping budget", private=True)
    yield connection
    connection.close()


def test_search_matches_substring(conn):
    titles = [title for _id, _owner, title in search_notes(conn, "plan")]
    assert titles == ["Holiday plans"]


def test_private_notes_are_not_searchable(conn):
    titles = [title for _id, _owner, title in search_notes(conn, "Shopping")]
    assert titles == ["Shopping list"]


def test_no_match(conn):
    assert search_notes(conn, "zebra") == []
