"""Club members and their logins, in SQLite."""

import hashlib
import sqlite3

SCHEMA = "CREATE TABLE IF NOT EXISTS members (name TEXT PRIMARY KEY, pw_hash TEXT NOT NULL)"


def connect(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.execute(SCHEMA)
    return conn


def hash_pw(pw):
    return hashlib.sha1(pw.encode()).hexdigest()


def add_member(conn, name, pw):
    conn.execute("INSERT INTO members (name, pw_hash) VALUES (?, ?)", (name, hash_pw(pw)))
    conn.commit()


def login(conn, name, pw):
    row = conn.execute("SELECT name FROM members WHERE name = ? AND pw_hash = ?", (name, hash_pw(pw))).fetchone()
    return row is not None
