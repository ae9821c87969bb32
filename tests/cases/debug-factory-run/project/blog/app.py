import flask


def create_app() -> flask.Flask:
    app = flask.Flask(__name__)

    @app.route("/")
    def home():
        return "blog"

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
