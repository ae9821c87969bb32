import os

from flask import Flask, request

from docsite.storage import read_document

app = Flask(__name__)
MANUALS = os.path.join(os.path.dirname(__file__), "manuals")


@app.route("/manual")
def manual():
    return {"text": read_document(request.args.get("page", "index.txt"), MANUALS)}
