from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/search")
def search():
    return f"results for {len(request.args.get('q', ''))} characters"


@app.route("/go")
def go():
    return redirect(url_for("search", q=request.args.get("q", "")))
