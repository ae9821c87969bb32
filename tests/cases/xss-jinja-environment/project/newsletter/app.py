"""Newsletter sign-up pages, rendered with a Jinja2 environment of the app's own."""

import os

from flask import Flask, request
from jinja2 import Environment, FileSystemLoader

app = Flask(__name__)
pages = Environment(loader=FileSystemLoader(os.path.join(os.path.dirname(__file__), "templates")))


@app.route("/subscribe", methods=["POST"])
def subscribe():
    email = request.form["email"]
    return pages.get_template("thanks.html").render(email=email, issues=["Spring", "Summer"])
