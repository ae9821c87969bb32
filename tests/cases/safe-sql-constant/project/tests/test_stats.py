import sqlite3

import pytest

from metrics.stats import count_active, deactivate_all, init_db, latest_active


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    connection.executemany(
        "INSERT INTO signups (email, active) VALUES (?, ?)",
        [(f"user{i}@example.com", int(i % 3 != 0)) for i in range(1, 11)],
    )
    yield connection
    connection.close()


def test_count_active(conn):
    assert count_active(conn) == 7


def test_latest_active(conn):
    assert latest_active(conn) == [f"user{i}@example.com" for i in (10, 8, 7, 5, 4)]


def test_deactivate_all(conn):
    deactivate_all(conn)
    assert count_active(conn) == 0
