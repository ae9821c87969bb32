"""Orders and their lines, as shown on the warehouse dashboard."""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    customer TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL
);
"""


def init_db(db: sqlite3.Connection) -> None:
    """Create the order tables."""
    db.executescript(SCHEMA)


def create_order(db: sqlite3.Connection, customer: str, lines: list[tuple[str, int]]) -> int:
    """Insert an order with its ``(sku, quantity)`` lines and return its id."""
    cur = db.execute("INSERT INTO orders (customer) VALUES (?)", (customer,))
    order_id = cur.lastrowid
    db.executemany(
        "INSERT INTO order_items (order_id, sku, quantity) VALUES (?, ?, ?)",
        [(order_id, sku, quantity) for sku, quantity in lines],
    )
    db.commit()
    return order_id


def order_items(db: sqlite3.Connection, order_id: int) -> list[tuple[str, int]]:
    """Return the ``(sku, quantity)`` lines of one order, in insertion order."""
    rows = db.execute(
        f"SELECT sku, quantity FROM order_items WHERE order_id = {order_id} ORDER BY id"
    ).fetchall()
    return rows


def order_quantity(db: sqlite3.Connection, order_id: int) -> int:
    """Total number of units in an order."""
    return sum(quantity for _sku, quantity in order_items(db, order_id))
