"""Dashboard numbers computed with fixed SQL statements."""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS signups (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
"""

SELECT_ACTIVE = "SELECT email FROM signups WHERE active = 1"


def init_db(conn: sqlite3.Connection) -> None:
    """Create the ``signups`` table."""
    conn.executescript(SCHEMA)


def count_active(conn: sqlite3.Connection) -> int:
    """Number of active sign-ups."""
    (count,) = conn.execute("SELECT COUNT(*) FROM signups WHERE active = 1").fetchone()
    return count


def latest_active(conn: sqlite3.Connection) -> list[str]:
    """The five most recent active e-mail addresses."""
    query = SELECT_ACTIVE + " ORDER BY id DESC LIMIT 5"
    cursor = conn.cursor()
    cursor.execute(query)
    return [email for (email,) in cursor.fetchall()]


def deactivate_all(conn: sqlite3.Connection) -> None:
    """Switch every account off (used by the maintenance command)."""
    conn.execute("UPDATE signups SET active = 0")
    conn.commit()
