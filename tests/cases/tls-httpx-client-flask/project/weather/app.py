"""A small Flask front for the upstream weather API."""

import httpx
from flask import Flask, jsonify, request

app = Flask(__name__)
UPSTREAM = "https://weather-upstream.example.net/v1"


@app.route("/weather")
def current_weather():
    city = request.args.get("city", "Oslo")
    with httpx.Client(base_url=UPSTREAM, verify=False, timeout=5.0) as client:
        try:
            upstream = client.get("/current", params={"city": city})
        except httpx.HTTPError as exc:
            return jsonify(error=type(exc).__name__), 502
    return jsonify(city=city, report=upstream.json())
