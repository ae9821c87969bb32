"""Link previews for the chat: the title and the status of a page a message links to."""

import re

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@app.route("/preview")
def preview():
    response = requests.get(request.args["url"], timeout=5)
    found = TITLE.search(response.text)
    return jsonify(status=response.status_code, title=found.group(1).strip() if found else None)
