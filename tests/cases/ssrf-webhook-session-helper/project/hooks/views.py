"""Subscribers register a URL; it gets a ping at once, then every order event."""

from flask import Flask, jsonify, request

from hooks.delivery import deliver

app = Flask(__name__)
WEBHOOKS: list[str] = []


@app.route("/webhooks", methods=["POST"])
def register_webhook():
    url = request.get_json()["url"]
    status = deliver(url, "ping", {"hook": len(WEBHOOKS) + 1})  # the subscriber must answer before it is kept
    if status >= 400:
        return jsonify(error=f"the webhook answered {status}"), 400
    WEBHOOKS.append(url)
    return jsonify(id=len(WEBHOOKS), url=url), 201


@app.route("/orders", methods=["POST"])
def create_order():
    order = {"sku": request.get_json()["sku"]}
    delivered = [deliver(url, "order.created", order) < 400 for url in WEBHOOKS]
    return jsonify(order=order, delivered=sum(delivered)), 201
