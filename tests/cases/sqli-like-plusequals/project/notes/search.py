"""Full-text-ish search over public notes."""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    is_private INTEGER NOT NULL DEFAULT 0
);
"""


def init_db(conn: sqlite3.Connection) -> None:
    """Create the ``notes`` table."""
    conn.executescript(SCHEMA)


def add_note(conn: sqlite3.Connection, owner: str, title: str, private: bool = False) -> int:
    """Store a note and return its id."""
    cur = conn.execute(
        "INSERT INTO notes (owner, title, is_private) VALUES (?, ?, ?)",
        (owner, title, int(private)),
    )
    conn.commit()
    return cur.lastrowid


def search_notes(conn: sqlite3.Connection, term: str) -> list[tuple[int, str, str]]:
    """Return public notes whose title contains ``term``."""
    sql = "SELECT id, owner, title FROM notes"
    sql += " WHERE title LIKE '%" + term + "%'"
    sql += " AND is_private = 0"
    sql += " ORDER BY id"
    return conn.execute(sql).fetchall()
