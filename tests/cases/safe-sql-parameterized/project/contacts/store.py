"""Contacts stored in SQLite; every value is bound as a query parameter."""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL
);
"""


def init_db(conn: sqlite3.Connection) -> None:
    """Create the ``contacts`` table."""
    conn.executescript(SCHEMA)


def add_contact(conn: sqlite3.Connection, name: str, phone: str) -> int:
    """Insert a contact and return its id."""
    cur = conn.execute("INSERT INTO contacts (name, phone) VALUES (?, ?)", (name, phone))
    conn.commit()
    return cur.lastrowid


def find_contact(conn: sqlite3.Connection, name: str) -> list[tuple[int, str, str]]:
    """Contacts whose name is exactly ``name``."""
    cursor = conn.cursor()
    cursor.execute("SELECT id, name, phone FROM contacts WHERE name = ?", (name,))
    return cursor.fetchall()


def search_contacts(conn: sqlite3.Connection, term: str) -> list[str]:
    """Names containing ``term`` (case-insensitive), sorted."""
    pattern = "%" + term + "%"
    rows = conn.execute(
        "SELECT name FROM contacts WHERE name LIKE ? ORDER BY name", (pattern,)
    ).fetchall()
    return [name for (name,) in rows]
