"""A small document vault: each signed-in user uploads and lists their own documents.

The reverse proxy authenticates users and passes the name in the X-Remote-User header.
"""

import os
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["PRIVATE_DOCS"] = os.environ.get("DOCVAULT_PRIVATE_DOCS", "private-docs")


def current_user():
    return secure_filename(request.headers.get("X-Remote-User", "")) or "anonymous"


@app.route("/documents", methods=["GET", "POST"])
def documents():
    folder = Path(app.config["PRIVATE_DOCS"]) / current_user()
    folder.mkdir(parents=True, exist_ok=True)
    if request.method == "POST":
        upload = request.files.get("document")
        if upload is None or not secure_filename(upload.filename or ""):
            return jsonify(error="no document"), 400
        upload.save(str(folder / secure_filename(upload.filename)))
    return jsonify(documents=sorted(p.name for p in folder.iterdir()))
