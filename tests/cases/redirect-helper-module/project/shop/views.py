import flask

from shop.nav import back_url

app = flask.Flask(__name__)
CART: list[str] = []


@app.route("/cart/add", methods=["POST"])
def add_to_cart():
    CART.append(flask.request.values.get("sku", "unknown"))
    return flask.redirect(back_url(), code=303)
