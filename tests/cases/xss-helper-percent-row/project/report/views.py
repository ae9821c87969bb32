from flask import Flask, request

from report.html import row

app = Flask(__name__)


@app.route("/lookup")
def lookup():
    sku = request.args.get("sku", "")
    return "<table>" + row("SKU", sku) + row("Status", "in stock") + "</table>"
