import sqlite3

import pytest

from library.loans import active_loans, init_db, lend, mark_returned


@pytest.fixture
def cursor():
    connection = sqlite3.connect(":memory:")
    cur = connection.cursor()
    init_db(cur)
    yield cur
    connection.close()


def test_active_loans_for_member(cursor):
    lend(cursor, "alice", "Dune")
    lend(cursor, "bob", "Emma")
    lend(cursor, "alice", "Ulysses")
    titles = [title for _id, _member, title in active_loans(cursor, "alice")]
    assert titles == ["Dune", "Ulysses"]


def test_returned_books_are_hidden(cursor):
    loan = lend(cursor, "alice", "Dune")
    mark_returned(cursor, loan)
    assert active_loans(cursor, "alice") == []
