"""Staff directory: a thin front for the HR service's API."""

from urllib.parse import quote

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
API_BASE = "https://hr.example.com/api/v2"


@app.route("/people/<user_id>")
def person(user_id):
    response = requests.get(f"{API_BASE}/users/{quote(user_id, safe='')}", timeout=5)
    return jsonify(response.json()), response.status_code


@app.route("/people")
def search():
    q = request.args.get("q", "")
    response = requests.get(API_BASE + "/search", params={"q": q, "limit": 20}, timeout=5)
    return jsonify(results=response.json()["results"])
