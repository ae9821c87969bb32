import logging

from flask import Flask, current_app, request

app = Flask(__name__)
log = logging.getLogger(__name__)
STOCK = {"A-1": 4, "B-2": 0}


@app.route("/stock")
def stock():
    sku = request.args.get("sku", "")
    log.info("stock lookup for %r", sku)
    return {"in_stock": STOCK.get(sku, 0)}


@app.route("/reserve", methods=["POST"])
def reserve():
    sku = request.form["sku"]
    quantity = int(request.form.get("quantity", "1"))
    current_app.logger.warning(f"reserving {sku!r}")
    log.info("reserved %d units", quantity)
    return {"reserved": min(quantity, STOCK.get(sku, 0))}
