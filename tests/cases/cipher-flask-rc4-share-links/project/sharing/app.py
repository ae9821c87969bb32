"""Share links: /share names a document and returns a link whose token hides the document's path."""

import base64
import os

from Crypto.Cipher import ARC4
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
LINK_KEY = os.environ.get("LINK_KEY", "share-links-key!").encode()
DOCUMENTS = {"reports/q3-summary.pdf": "Q3 report", "hr/salaries.xlsx": "Salaries"}


def make_share_token(path: str) -> str:
    data = ARC4.new(LINK_KEY).encrypt(path.encode())
    return base64.urlsafe_b64encode(data).decode()


def read_share_token(token: str) -> str:
    data = ARC4.new(LINK_KEY).decrypt(base64.urlsafe_b64decode(token.encode()))
    return data.decode()


@app.get("/share")
def share():
    path = request.args.get("doc", "")
    if path not in DOCUMENTS:
        abort(404)
    return jsonify(link=f"/s/{make_share_token(path)}")


@app.get("/s/<token>")
def shared(token):
    try:
        path = read_share_token(token)
    except Exception:
        abort(404)
    if path not in DOCUMENTS:
        abort(404)
    return jsonify(title=DOCUMENTS[path])
