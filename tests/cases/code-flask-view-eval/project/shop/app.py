"""Product catalogue API.

The front end asks for several products at once with
``GET /items?ids=[1, 2, 3]``.
"""

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

CATALOGUE = {
    1: {"name": "Notebook", "price": 4.5},
    2: {"name": "Pencil", "price": 0.8},
    3: {"name": "Backpack", "price": 39.0},
}


def lookup(product_id: int) -> dict:
    """Catalogue entry for ``product_id`` with its id included."""
    item = CATALOGUE.get(product_id)
    if item is None:
        abort(404, description=f"no product {product_id}")
    return {"id": product_id, **item}


@app.get("/items")
def list_items():
    ids = eval(request.args["ids"])
    return jsonify([lookup(int(i)) for i in ids])


@app.get("/items/<int:product_id>")
def show_item(product_id: int):
    return jsonify(lookup(product_id))
