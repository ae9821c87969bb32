"""Team notes: a small Flask + SQLite service.

Run it with ``flask --app notesapp run``; the database is created on first use
under the instance folder.
"""

from __future__ import annotations

import os
import secrets

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    """Application factory.

    ``config`` overrides the defaults (``DATABASE``, ``SECRET_KEY``, ...).
    Nothing is created on disk here: the database file (and its folder) are
    created on the first request that needs them.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("NOTESAPP_SECRET_KEY") or secrets.token_hex(32),
        DATABASE=os.path.join(app.instance_path, "notes.sqlite"),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        PASSWORD_HASH_METHOD="scrypt",
    )
    if config:
        app.config.update(config)

    from notesapp import db, views

    db.init_app(app)
    app.register_blueprint(views.bp)
    return app
