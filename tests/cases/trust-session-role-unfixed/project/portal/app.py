from flask import Flask, abort, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/role")
def choose_role():
    session["role"] = request.args.get("role", "viewer")
    return "ok"


@app.route("/admin")
def admin():
    if session.get("role") != "admin":
        abort(403)
    return "admin area"
