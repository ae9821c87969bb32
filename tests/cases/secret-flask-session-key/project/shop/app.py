from flask import Flask, abort, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "f3b9c2e7A1d04e6b8c5f"

USERS = {"ana": "staff", "root": "admin"}


@app.post("/login/<name>")
def login(name):
    if name not in USERS:
        abort(404)
    session["user"] = name
    return {"user": name}


@app.get("/admin")
def admin():
    if USERS.get(session.get("user")) != "admin":
        abort(403)
    return {"orders": 42}
