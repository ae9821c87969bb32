import secrets

from flask import Flask, make_response

app = Flask(__name__)
CARTS: dict[str, list[str]] = {}


@app.route("/cart/start", methods=["POST"])
def start_cart():
    """A guest's cart: the cookie is all that proves whose cart it is."""
    token = secrets.token_urlsafe(16)
    CARTS[token] = []
    response = make_response("cart ready")
    response.set_cookie("cart_session", token, secure=True, samesite="Lax")
    response.set_cookie("csrf_token", secrets.token_hex(8), secure=True)  # read by the page's script
    return response
