"""SQLite connection handling (one connection per application context)."""

from __future__ import annotations

import os
import sqlite3
from importlib import resources

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext


def _schema() -> str:
    return resources.files("notesapp").joinpath("schema.sql").read_text(encoding="utf-8")


def _has_schema(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()
    return row is not None


def get_db() -> sqlite3.Connection:
    """The request's database connection; creates the schema on a new database."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        g.db = sqlite3.connect(path)
        g.db.row_factory = sqlite3.Row
        g.db.execute("PRAGMA foreign_keys = ON")
        if not _has_schema(g.db):
            g.db.executescript(_schema())
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Drop and recreate every table."""
    db = get_db()
    db.executescript(_schema())
    db.commit()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    init_db()
    click.echo("Initialized the database.")


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
