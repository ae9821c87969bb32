"""Customer accounts stored in SQLite.

The connection is always passed in by the caller so the web layer decides
where the database lives (a file in production, ``:memory:`` in tests).
"""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    is_admin INTEGER NOT NULL DEFAULT 0
);
"""


def init_db(conn: sqlite3.Connection) -> None:
    """Create the ``users`` table if it does not exist yet."""
    conn.executescript(SCHEMA)


def add_user(conn: sqlite3.Connection, name: str, email: str, is_admin: bool = False) -> int:
    """Register a customer and return the new row id."""
    cur = conn.execute(
        "INSERT INTO users (name, email, is_admin) VALUES (?, ?, ?)",
        (name, email, int(is_admin)),
    )
    conn.commit()
    return cur.lastrowid


def get_user_by_email(conn: sqlite3.Connection, email: str) -> list[tuple]:
    """Return ``(id, name, email)`` rows for the account registered with ``email``."""
    cursor = conn.cursor()
    cursor.execute("SELECT id, name, email FROM users WHERE email = '" + email + "'")
    return cursor.fetchall()


def is_registered(conn: sqlite3.Connection, email: str) -> bool:
    """True when an account exists for ``email``."""
    return bool(get_user_by_email(conn, email))
