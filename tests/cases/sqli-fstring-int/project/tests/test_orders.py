import sqlite3

import pytest

from inventory.orders import create_order, init_db, order_items, order_quantity


@pytest.fixture
def db():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    yield connection
    connection.close()


def test_items_of_one_order(db):
    first = create_order(db, "alice", [("APPLE-1", 3), ("PEAR-2", 1)])
    create_order(db, "bob", [("PLUM-9", 5)])
    assert order_items(db, first) == [("APPLE-1", 3), ("PEAR-2", 1)]


def test_quantity(db):
    create_order(db, "alice", [("APPLE-1", 3)])
    second = create_order(db, "bob", [("PLUM-9", 5), ("FIG-4", 2)])
    assert order_quantity(db, second) == 7


def test_missing_order_is_empty(db):
    assert order_items(db, 42) == []
