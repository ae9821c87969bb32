"""A small notes service: list the notes, search them by a term in the title."""

import re

from flask import Flask, jsonify, request

app = Flask(__name__)

NOTES = [
    {"id": 1, "title": "Groceries and wine for the long weekend", "private": False},
    {"id": 2, "title": "Quarterly report draft", "private": False},
    {"id": 3, "title": "Salary review notes", "private": True},
]


@app.route("/notes")
def index():
    return jsonify([n["id"] for n in NOTES if not n["private"]])


@app.route("/notes/search")
def search():
    q = request.args.get("q", "")
    if not q:
        return jsonify([])
    found = [n for n in NOTES if re.search(q, n["title"], re.IGNORECASE)]
    return jsonify([{"id": n["id"], "title": n["title"]} for n in found])
