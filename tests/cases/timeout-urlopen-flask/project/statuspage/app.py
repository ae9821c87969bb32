"""Status page: shows whether the payment provider is up, as its own status endpoint says."""

import json
import urllib.error
import urllib.request

from flask import Flask, jsonify

app = Flask(__name__)
UPSTREAM_STATUS = "https://status.payments.example.com/api/v2/status.json"


@app.route("/status")
def status():
    try:
        with urllib.request.urlopen(UPSTREAM_STATUS) as response:
            indicator = json.load(response).get("status", {}).get("indicator", "unknown")
    except (urllib.error.URLError, OSError, ValueError):
        indicator = "unreachable"
    return jsonify(payments=indicator)
