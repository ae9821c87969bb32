import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
PASSWORDS = {"alice": "wonderland"}


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    if PASSWORDS.get(user) == request.form.get("password", ""):
        return {"ok": True}
    log.warning("login failed for %s", user)
    return {"ok": False}, 401
