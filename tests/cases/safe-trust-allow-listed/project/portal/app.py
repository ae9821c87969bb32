from flask import Flask, abort, request, session

app = Flask(__name__)
app.secret_key = "dev"
ROLES = {"viewer", "editor"}


@app.route("/role")
def choose_role():
    role = request.args.get("role", "viewer")
    if role not in ROLES:
        abort(400)
    session["role"] = role
    return "ok"
