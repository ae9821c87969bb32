"""A small portal: sign in, sign out, and come back to where you were."""

from flask import Flask, redirect, request, session

app = Flask(__name__)
app.secret_key = "change-me"


@app.route("/")
def index():
    user = session.get("user")
    return f"Hello, {user}" if user else "Hello, guest"


@app.route("/logout")
def logout():
    session.clear()
    return redirect(request.args.get("next", "/"))
