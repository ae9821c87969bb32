from flask import Flask, abort, session

from blog.config import Config

EDITORS = {"mara"}


def create_app(config=Config):
    app = Flask(__name__)
    app.config.from_object(config)

    @app.post("/login/<name>")
    def login(name):
        session["user"] = name
        return {"user": name}

    @app.post("/posts/<int:post_id>/publish")
    def publish(post_id):
        if session.get("user") not in EDITORS:
            abort(403)
        return {"published": post_id}

    return app
