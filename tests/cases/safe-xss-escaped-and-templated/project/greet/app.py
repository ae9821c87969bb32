from flask import Flask, jsonify, render_template_string, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/a")
def a():
    return f"<p>Hello {escape(request.args.get('name', ''))}</p>"


@app.route("/b")
def b():
    return render_template_string("<p>Hello {{ name }}</p>", name=request.args.get("name", ""))


@app.route("/c")
def c():
    return jsonify(greeting=f"Hello {request.args.get('name', '')}")
