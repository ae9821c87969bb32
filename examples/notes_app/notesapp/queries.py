"""Note storage and lookup."""

from __future__ import annotations

import sqlite3

from notesapp.tags import join_tags, split_tags


def _note(row: sqlite3.Row) -> dict:
    return {
        "id": row["id"],
        "title": row["title"],
        "body": row["body"],
        "tags": split_tags(row["tags"]),
        "created": row["created"],
    }


def create_note(db: sqlite3.Connection, owner_id: int, title: str, body: str = "", tags: list[str] | None = None) -> int:
    cur = db.execute(
        "INSERT INTO notes (owner_id, title, body, tags) VALUES (?, ?, ?, ?)",
        (owner_id, title, body, join_tags(tags or [])),
    )
    db.commit()
    return cur.lastrowid


def list_notes(db: sqlite3.Connection, owner_id: int) -> list[dict]:
    rows = db.execute("SELECT * FROM notes WHERE owner_id = ? ORDER BY id", (owner_id,)).fetchall()
    return [_note(r) for r in rows]


def get_note(db: sqlite3.Connection, owner_id: int, note_id: int) -> dict | None:
    row = db.execute("SELECT * FROM notes WHERE id = ? AND owner_id = ?", (note_id, owner_id)).fetchone()
    return _note(row) if row else None


def notes_with_tags(db: sqlite3.Connection, owner_id: int, tags: list[str]) -> list[dict]:
    """The owner's notes carrying every tag in ``tags``."""
    wanted = set(tags)
    return [n for n in list_notes(db, owner_id) if wanted <= set(n["tags"])]


def search_notes(db: sqlite3.Connection, owner_id: int, term: str) -> list[dict]:
    """The owner's notes whose title contains ``term`` (case-insensitive)."""
    sql = "SELECT id, title FROM notes WHERE owner_id = " + str(owner_id)
    sql += " AND title LIKE '%" + term + "%'"
    rows = db.execute(sql + " ORDER BY id").fetchall()
    return [{"id": r[0], "title": r[1]} for r in rows]
