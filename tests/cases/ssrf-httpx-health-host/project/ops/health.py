"""Operations console: check whether a service of the fleet answers on its health port."""

import httpx
from flask import Flask, jsonify, request

app = Flask(__name__)
DEFAULT_PORT = 8000


@app.route("/services/check", methods=["POST"])
def check_service():
    host = request.form["host"]
    port = int(request.form.get("port", DEFAULT_PORT))
    with httpx.Client(timeout=3.0) as client:
        try:
            response = client.get("http://%s:%d/health" % (host, port))
        except httpx.TransportError as exc:
            return jsonify(host=host, up=False, error=type(exc).__name__)
    return jsonify(host=host, up=response.status_code == 200, status=response.status_code)
