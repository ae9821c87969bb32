"""Book loans.  Functions take a DB-API cursor owned by the request handler."""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS loans (
    id INTEGER PRIMARY KEY,
    member TEXT NOT NULL,
    title TEXT NOT NULL,
    returned INTEGER NOT NULL DEFAULT 0
);
"""


def init_db(cursor: sqlite3.Cursor) -> None:
    """Create the ``loans`` table."""
    cursor.executescript(SCHEMA)


def lend(cursor: sqlite3.Cursor, member: str, title: str) -> int:
    """Record that ``member`` borrowed ``title``."""
    cursor.execute("INSERT INTO loans (member, title) VALUES (?, ?)", (member, title))
    return cursor.lastrowid


def mark_returned(cursor: sqlite3.Cursor, loan_id: int) -> None:
    """Close a loan."""
    cursor.execute("UPDATE loans SET returned = 1 WHERE id = ?", (loan_id,))


def active_loans(cursor: sqlite3.Cursor, member: str) -> list[tuple[int, str, str]]:
    """Return ``(id, member, title)`` for the books ``member`` still has at home."""
    sql = "SELECT id, member, title FROM loans WHERE member = '{member}' AND returned = 0 ORDER BY id".format(
        member=member
    )
    cursor.execute(sql)
    return cursor.fetchall()
