import secrets

from flask import Flask, make_response

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    token = secrets.token_urlsafe(16)
    response = make_response({"ok": True})
    response.set_cookie("session_hint", token,
                        path="/",
                        secure=False,
                        httponly=True)
    return response
