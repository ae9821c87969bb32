"""Users, sessions and the ``login_required`` decorator."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

from flask import g, jsonify, session
from werkzeug.security import check_password_hash, generate_password_hash

from notesapp.db import get_db
from notesapp.tokens import RESET_TOKEN_TTL, new_reset_token


class UsernameTaken(Exception):
    """Raised by :func:`create_user` when the name is already registered."""


def create_user(db: sqlite3.Connection, username: str, password: str, method: str = "scrypt") -> int:
    try:
        cur = db.execute(
            "INSERT INTO users (username, password_hash) VALUES (?, ?)",
            (username, generate_password_hash(password, method=method)),
        )
    except sqlite3.IntegrityError as exc:
        raise UsernameTaken(username) from exc
    db.commit()
    return cur.lastrowid


def authenticate(db: sqlite3.Connection, username: str, password: str) -> int | None:
    """The user's id when the credentials are right, else None."""
    row = db.execute("SELECT id, password_hash FROM users WHERE username = ?", (username,)).fetchone()
    if row is None or not check_password_hash(row["password_hash"], password):
        return None
    return row["id"]


def start_password_reset(db: sqlite3.Connection, username: str) -> str | None:
    """Store a fresh reset token for ``username`` (it would be e-mailed)."""
    row = db.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        return None
    token = new_reset_token()
    expires = (datetime.now(timezone.utc) + RESET_TOKEN_TTL).isoformat()
    db.execute("UPDATE users SET reset_token = ?, reset_expires = ? WHERE id = ?", (token, expires, row["id"]))
    db.commit()
    return token


def finish_password_reset(
    db: sqlite3.Connection, token: str, new_password: str, method: str = "scrypt"
) -> bool:
    """Set a new password for the holder of an unexpired ``token``."""
    row = db.execute("SELECT id, reset_expires FROM users WHERE reset_token = ?", (token,)).fetchone()
    if row is None or datetime.fromisoformat(row["reset_expires"]) < datetime.now(timezone.utc):
        return False
    db.execute(
        "UPDATE users SET password_hash = ?, reset_token = NULL, reset_expires = NULL WHERE id = ?",
        (generate_password_hash(new_password, method=method), row["id"]),
    )
    db.commit()
    return True


def load_logged_in_user() -> None:
    g.user_id = session.get("user_id")


def login_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user_id") is None:
            return jsonify(error="login required"), 401
        return view(*args, **kwargs)

    return wrapped
