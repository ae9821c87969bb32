"""Blog posts: storage and author listings."""

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    author TEXT NOT NULL,
    title TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 1
);
"""


def init_db(db: sqlite3.Connection) -> None:
    """Create the ``posts`` table."""
    db.executescript(SCHEMA)


def publish(db: sqlite3.Connection, author: str, title: str, published: bool = True) -> int:
    """Store a post and return its id."""
    cur = db.execute(
        "INSERT INTO posts (author, title, published) VALUES (?, ?, ?)",
        (author, title, int(published)),
    )
    db.commit()
    return cur.lastrowid


def posts_by_author(db: sqlite3.Connection, author: str) -> list[tuple[int, str, str]]:
    """Return ``(id, author, title)`` for every post written by ``author``."""
    query = "SELECT id, author, title FROM posts WHERE author = '%s' ORDER BY id" % author
    cur = db.cursor()
    cur.execute(query)
    return cur.fetchall()


def titles_by_author(db: sqlite3.Connection, author: str) -> list[str]:
    """Just the titles, for the author page sidebar."""
    return [title for _id, _author, title in posts_by_author(db, author)]
