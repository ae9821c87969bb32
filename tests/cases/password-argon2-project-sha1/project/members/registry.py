"""Members kept in a SQLite table."""

import sqlite3

from members.security import password_digest, password_matches


class Registry:
    def __init__(self, path=":memory:"):
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS members (email TEXT PRIMARY KEY, digest TEXT NOT NULL)")

    def sign_up(self, email, password):
        email = email.strip().lower()
        if "@" not in email:
            raise ValueError("not an email address")
        self.db.execute("INSERT INTO members (email, digest) VALUES (?, ?)", (email, password_digest(password)))
        self.db.commit()

    def stored_digest(self, email):
        row = self.db.execute("SELECT digest FROM members WHERE email = ?", (email.strip().lower(),)).fetchone()
        return row[0] if row else None

    def sign_in(self, email, password):
        digest = self.stored_digest(email)
        return digest is not None and password_matches(password, digest)
