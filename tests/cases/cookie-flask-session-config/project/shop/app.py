"""A shop whose cart lives in Flask's signed session cookie."""

from flask import Flask, session


def create_app(secret_key="dev-only-secret"):
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key, SESSION_COOKIE_SECURE=False)  # "TLS ends at the load balancer"

    @app.route("/cart/add/<item>", methods=["POST"])
    def add(item):
        session["cart"] = [*session.get("cart", []), item]
        return {"cart": session["cart"]}

    return app
