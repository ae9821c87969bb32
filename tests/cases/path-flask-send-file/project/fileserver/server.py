"""Serve shared documents from ``FILES_DIR`` over HTTP."""

import os

from flask import Flask, abort, jsonify, request, send_file

app = Flask(__name__)

FILES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


@app.get("/files")
def index():
    """List the shared documents."""
    if not os.path.isdir(FILES_DIR):
        return jsonify([])
    return jsonify(sorted(os.listdir(FILES_DIR)))


@app.get("/download")
def download():
    """Send one shared document, named by the ``name`` query parameter."""
    if "name" not in request.args:
        abort(400)
    return send_file(os.path.join(FILES_DIR, request.args["name"]))
