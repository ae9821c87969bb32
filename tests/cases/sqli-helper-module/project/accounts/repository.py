"""Data access for user accounts."""

import sqlite3

from accounts.queries import INSERT_USER, SCHEMA, user_query


def init_db(conn: sqlite3.Connection) -> None:
    """Create the ``users`` table."""
    conn.executescript(SCHEMA)


def create_user(conn: sqlite3.Connection, name: str, email: str, role: str = "member") -> int:
    """Insert a user and return the new id."""
    cur = conn.execute(INSERT_USER, (name, email, role))
    conn.commit()
    return cur.lastrowid


def find_user(conn: sqlite3.Connection, name: str) -> list[tuple[int, str, str, str]]:
    """Return ``(id, name, email, role)`` rows for the login ``name``."""
    return conn.execute(user_query(name)).fetchall()
