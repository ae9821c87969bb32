import flask

application = flask.Flask("notes")


@application.route("/notes")
def notes():
    return {"notes": []}


def serve(port: int = 8080):
    application.run(
        host="127.0.0.1",
        port=port,
        debug=True,
        use_reloader=False,
    )
