"""SQL text for the accounts repository, kept apart from the code that runs it."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member'
);
"""

INSERT_USER = "INSERT INTO users (name, email, role) VALUES (?, ?, ?)"


def user_query(name):
    """SELECT statement for one user by login name."""
    return "SELECT id, name, email, role FROM users WHERE name = '" + name + "'"
