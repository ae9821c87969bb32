from flask import Flask, redirect, request

app = Flask(__name__)
PREFS = {"theme": "light"}


@app.route("/settings", methods=["GET", "POST"])
def settings():
    if request.method == "POST":
        PREFS["theme"] = request.form.get("theme", "light")
        return redirect(request.form["return_to"])
    return f"theme: {PREFS['theme']}"
