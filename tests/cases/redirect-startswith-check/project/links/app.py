from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/continue")
def continue_to():
    target = request.args.get("to", "/")
    if not target.startswith("/"):
        target = "/"  # only paths on this site
    return redirect(target)
