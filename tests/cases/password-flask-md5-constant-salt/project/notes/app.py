"""A small notes service: accounts and their notes, kept in memory."""

import hashlib

from flask import Flask, jsonify, request

SALT = "notes-app-2019"

app = Flask(__name__)
USERS = {}
NOTES = {}


def password_digest(password):
    return hashlib.md5((SALT + password).encode()).hexdigest()


@app.post("/register")
def register():
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or len(password) < 8:
        return jsonify(error="username and a password of 8 characters are required"), 400
    if username in USERS:
        return jsonify(error="username taken"), 409
    USERS[username] = password_digest(password)
    NOTES[username] = []
    return jsonify(user=username), 201


@app.post("/login")
def login():
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    stored = USERS.get(username)
    if stored is None or hashlib.md5((SALT + password).encode()).hexdigest() != stored:
        return jsonify(error="invalid credentials"), 401
    return jsonify(user=username, notes=len(NOTES.get(username, [])))
