"""An operator's log viewer: grep the service log with a regular expression."""

import re

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

LOG = [
    "2024-05-01 12:00:01 INFO  worker-1 started",
    "2024-05-01 12:00:07 ERROR worker-2 timeout talking to db-primary",
    "2024-05-01 12:01:13 WARN  worker-1 retrying job 42",
]


@app.route("/admin/logs")
def filter_logs():
    pattern = request.args.get("pattern", "")
    try:
        rx = re.compile(pattern)
    except re.error:
        abort(400)
    return jsonify([line for line in LOG if rx.search(line)])
