"""Serve media files from ``FILES_DIR``; Flask's safe join keeps names inside it."""

import os

from flask import Flask, abort, request, send_from_directory

app = Flask(__name__)

FILES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "media")


@app.get("/media")
def media():
    """Send the media file named by the ``name`` query parameter."""
    name = request.args.get("name", "")
    if not name:
        abort(400)
    return send_from_directory(FILES_DIR, name)
